//go:build !windows

package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// runWatchHost runs the daemon in the console: SIGINT and SIGTERM stop it, SIGHUP
// reloads the resource file.
func runWatchHost(ctx context.Context, _ Streams, run func(ctx context.Context, reload <-chan struct{}) int) int {
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

// watchServiceCommand is `iiskit watch install|uninstall`, which exist only on Windows.
func watchServiceCommand(verb string, _ []string, s Streams) int {
	fmt.Fprintf(s.Stderr, "iiskit watch %s: the watch daemon is a Windows service only on Windows; elsewhere run `iiskit watch --config FILE` under the system's service manager\n", verb)
	return 2
}
