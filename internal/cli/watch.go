package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"time"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/clock"
	"github.com/iiskit/iiskit/internal/config"
	"github.com/iiskit/iiskit/internal/lock"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
	"github.com/iiskit/iiskit/internal/watch"
)

// DefaultWatchListen is the watch daemon's observability address (CLI.md).
const DefaultWatchListen = "127.0.0.1:9780"

// watchFlags are the flags of `iiskit watch`.
type watchFlags struct {
	configFile, listen    string
	listenRemote, verbose bool
	concurrency           int
	common                actionFlags // platform, lab, json, events: what openSinks and newHost read
}

func parseWatchFlags(args []string, s Streams) (*watchFlags, error) {
	f := &watchFlags{}
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	fs.SetOutput(s.Stderr)
	fs.StringVar(&f.configFile, "config", s.Getenv("IISKIT_CONFIG"), "resource file (TOML) whose resources the daemon protects; default $IISKIT_CONFIG")
	fs.StringVar(&f.listen, "listen", DefaultWatchListen, "address of /metrics, /healthz and the status page (loopback)")
	fs.BoolVar(&f.listenRemote, "listen-remote", false, "allow a --listen address other than loopback")
	fs.StringVar(&f.common.platform, "platform", defaultPlatform, "windows or lab")
	fs.StringVar(&f.common.lab, "lab", labURL(s.Getenv), "the lab host's control address")
	fs.BoolVar(&f.common.json, "json", false, "write each event as a JSON line on stdout")
	fs.StringVar(&f.common.events, "events", "", "also append each event as a JSON line to this file")
	fs.BoolVar(&f.verbose, "verbose", false, "log diagnostics on stderr")
	fs.IntVar(&f.concurrency, "concurrency", watch.DefaultConcurrency, "checks and recoveries running at once, at most")
	if err := fs.Parse(args); err != nil {
		return nil, fmt.Errorf("%w: %w", errReported, err)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (every setting is a flag)", fs.Arg(0))
	}
	if f.configFile == "" {
		return nil, errors.New("--config FILE is required (or $IISKIT_CONFIG)")
	}
	if f.concurrency < 1 {
		return nil, errors.New("--concurrency must be 1 or more")
	}
	if err := checkListen(f.listen, f.listenRemote); err != nil {
		return nil, err
	}
	return f, nil
}

// checkListen keeps the status page and the metrics on loopback unless the administrator
// says otherwise: they name every protected site.
func checkListen(addr string, remote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q: want HOST:PORT, e.g. %s", addr, DefaultWatchListen)
	}
	if remote {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.IsLoopback() {
		return fmt.Errorf("--listen %q is not a loopback address; add --listen-remote to serve the status page and metrics beyond this machine", addr)
	}
	return nil
}

// loadWatchFile reads the resource file and every FTP resource's password
// (config.FTPPassword, as every entry point does); any error is a definition error.
func loadWatchFile(path string, getenv func(string) string) (*config.File, error) {
	f, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	if len(f.Resources) == 0 {
		return nil, &config.DefinitionError{File: path, Msg: "no [[resource]] to protect"}
	}
	for i := range f.Resources {
		r := &f.Resources[i]
		if r.Type == resource.FTP {
			pw, err := config.FTPPassword(r.FTP.PasswordFile, getenv)
			if err != nil {
				return nil, fmt.Errorf("%s: resource %q: %w", path, r.Tag, err)
			}
			r.FTP.Password = pw
		}
		// The same check every action makes of its resource before it starts.
		if err := r.Validate(); err != nil {
			return nil, fmt.Errorf("%s: resource %q: %w", path, r.Tag, err)
		}
	}
	return f, nil
}

// runWatch runs `iiskit watch`: install and uninstall register the Windows service;
// otherwise the daemon runs until stopped (a signal, or the service manager).
func runWatch(ctx context.Context, args []string, s Streams) int {
	if len(args) > 0 && (args[0] == "install" || args[0] == "uninstall") {
		return watchServiceCommand(args[0], args[1:], s)
	}
	f, err := parseWatchFlags(args, s)
	if err != nil {
		switch {
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errReported):
			return 2
		}
		fmt.Fprintf(s.Stderr, "iiskit watch: %v\n", err)
		return 2
	}
	file, err := loadWatchFile(f.configFile, s.Getenv)
	if err != nil {
		fmt.Fprintf(s.Stderr, "iiskit watch: %v\n", err)
		return 2
	}
	return runWatchHost(ctx, s, func(ctx context.Context, reload <-chan struct{}) int {
		return serveWatch(ctx, f, file, reload, s)
	})
}

// serveWatch runs the daemon and its HTTP server until ctx ends; each receive on reload
// re-reads the resource file.
func serveWatch(ctx context.Context, f *watchFlags, file *config.File, reload <-chan struct{}, s Streams) int {
	level := slog.LevelWarn
	if f.verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(s.Stderr, &slog.HandlerOptions{Level: level}))
	host, err := newHost(ctx, f.common.platform, f.common.lab)
	if err != nil {
		fmt.Fprintf(s.Stderr, "iiskit watch: %v\n", err)
		if errors.Is(err, platform.ErrPrerequisite) || platformUsageError(err) {
			return 2
		}
		return 1
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		fmt.Fprintf(s.Stderr, "iiskit watch: %v\n", err)
		return 1
	}
	sinks, closeSinks, err := openSinks(&f.common, s)
	if err != nil {
		ln.Close()
		fmt.Fprintf(s.Stderr, "iiskit watch: %v\n", err)
		return 2
	}
	defer closeSinks()

	d := watch.New(watch.Options{
		Env:         action.Env{Host: host, Probe: probe.Net{}, Events: sinks, Clock: clock.Real{}, Log: log},
		Lock:        watch.TagLock(lock.Dir(s.Getenv)),
		Concurrency: f.concurrency,
	}, file)
	srv := &http.Server{Handler: d.Handler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: time.Minute}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("status server stopped", "err", err)
		}
	}()
	fmt.Fprintf(s.Stderr, "iiskit watch: protecting %d resources of %s; status page http://%s/ (also /metrics, /healthz)\n",
		len(file.Resources), file.Path, ln.Addr())

	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	for {
		select {
		case <-reload:
			d.Reload(f.configFile, func() (*config.File, error) { return loadWatchFile(f.configFile, s.Getenv) })
		case <-done:
			// Run returned once ctx ended and the actions in flight had finished.
			shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = srv.Shutdown(shut)
			fmt.Fprintln(s.Stderr, "iiskit watch: stopped")
			return 0
		}
	}
}
