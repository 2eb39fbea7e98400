package labcli

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/iiskit/iiskit/internal/lab"
)

// serve runs `serve [--listen ADDR] [--config FILE] [--hostname NAME]` until SIGINT,
// SIGTERM or ctx ends, then shuts the host down.
func (r *runner) serve(argv []string) int {
	a, err := parseArgs(argv, []string{"listen", "config", "hostname"}, nil)
	if err != nil {
		return r.usageError(err)
	}
	if len(a.pos) != 0 {
		return r.usageError(fmt.Errorf("serve takes no arguments, got %q", a.pos))
	}
	ctx, stop := signal.NotifyContext(r.ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := lab.Start(ctx, lab.Options{
		Listen:     a.last("listen", lab.DefaultListen),
		ConfigFile: a.last("config", ""),
		Hostname:   a.last("hostname", ""),
	})
	if err != nil {
		fmt.Fprintf(r.stderr, "iiskit lab serve: %v\n", err)
		if errors.Is(err, lab.ErrBadOptions) {
			return exitUsage
		}
		return exitFailure
	}
	for _, w := range srv.Warnings() {
		fmt.Fprintf(r.stderr, "iiskit lab serve: warning: %s\n", w)
	}
	fmt.Fprintf(r.stdout, "iiskit lab host listening on %s\n", srv.URL())
	<-ctx.Done()
	if err := srv.Close(); err != nil {
		fmt.Fprintf(r.stderr, "iiskit lab serve: %v\n", err)
		return exitFailure
	}
	fmt.Fprintln(r.stderr, "iiskit lab serve: stopped")
	return exitOK
}
