package labcli

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/iiskit/iiskit/internal/lab"
)

// serve runs `serve [--listen ADDR] [--config FILE] [--hostname NAME] [--addr-file FILE]`
// until SIGINT, SIGTERM or ctx ends, then shuts the host down. Once the control API
// listens it prints "iiskit lab host listening on URL" on stdout and, with --addr-file,
// writes URL to FILE: with port 0, the port the kernel chose.
func (r *runner) serve(a args) int {
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
	if path := a.last("addr-file", ""); path != "" {
		if err := writeAddrFile(path, srv.URL()); err != nil {
			fmt.Fprintf(r.stderr, "iiskit lab serve: %v\n", err)
			_ = srv.Close()
			return exitFailure
		}
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

// writeAddrFile writes url and a newline to path through a temporary file renamed into
// place, so that a reader polling for the file never sees half of it.
func writeAddrFile(path, url string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".lab-addr-*")
	if err != nil {
		return fmt.Errorf("writing the control address to %s: %w", path, err)
	}
	_, err = tmp.WriteString(url + "\n")
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing the control address to %s: %w", path, err)
	}
	return nil
}
