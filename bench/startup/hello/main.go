// Command hello is the floor of any Go program's start: it prints one line. bench/startup.sh
// times it beside iiskit.
package main

import "fmt"

func main() { fmt.Println("hello") }
