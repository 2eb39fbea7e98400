// Command floor links what any Go tool that probes HTTP links (net/http, flag, log/slog,
// encoding/json) and, like `iiskit version`, only prints its version: bench/startup.sh
// times it beside iiskit as the start-up floor of such a tool.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
)

func main() {
	url := flag.String("url", "", "GET this URL")
	flag.Parse()
	if *url == "" {
		fmt.Println("floor 1.0")
		return
	}
	// Reached only with -url: it keeps the four packages linked and used.
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	resp, err := http.Get(*url)
	if err != nil {
		log.Error("get", "err", err)
		os.Exit(1)
	}
	resp.Body.Close()
	_ = json.NewEncoder(os.Stdout).Encode(map[string]int{"status": resp.StatusCode})
}
