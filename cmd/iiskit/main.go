// Command iiskit is a high-availability recovery kit for Microsoft IIS: a cluster manager
// calls it to check, bring into service, take out of service and locally recover one
// protected IIS site. See README.md and CLI.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/iiskit/iiskit/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], cli.Streams{Getenv: os.Getenv, Stdout: os.Stdout, Stderr: os.Stderr})
	stop()
	os.Exit(code)
}
