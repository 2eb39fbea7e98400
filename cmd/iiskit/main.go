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
	// SIGTERM and SIGINT cancel the action's context: its current step fails with its
	// event and the closing events (9408 ...) are still written before the exit.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// A write to a closed stdout (a cluster manager that stopped reading --json) must be
	// an error the event sinks report, not a SIGPIPE that kills iiskit before the
	// --events file gets its events.
	signal.Ignore(syscall.SIGPIPE)
	code := cli.Main(ctx, os.Args[1:], cli.Streams{Getenv: os.Getenv, Stdout: os.Stdout, Stderr: os.Stderr, Environ: os.Environ})
	stop()
	os.Exit(code)
}
