//go:build !windows

package svchost

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Run runs the daemon in the console or under a Unix service manager: SIGINT and SIGTERM
// stop it, SIGHUP reloads the resource file (and reopens the events file).
func Run(ctx context.Context, _ io.Writer, run RunFunc) int {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	reload := make(chan struct{}, 1)
	go func() {
		for {
			select {
			case <-hup:
				select {
				case reload <- struct{}{}:
				default: // a reload is already pending
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	return run(ctx, reload)
}

// Command is `iiskit watch install|uninstall`, which exist only on Windows: it answers -h
// and refuses the rest.
func Command(verb string, args []string, in Install) int {
	if _, code, ok := parse(verb, args, in); !ok {
		return code
	}
	fmt.Fprintf(in.Stderr, "iiskit watch %s: the watch daemon is a Windows service only on Windows; elsewhere run `iiskit watch --config FILE` under the system's service manager\n", verb)
	return 2
}
