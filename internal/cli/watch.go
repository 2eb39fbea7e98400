package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/clock"
	"github.com/iiskit/iiskit/internal/config"
	"github.com/iiskit/iiskit/internal/invocation"
	"github.com/iiskit/iiskit/internal/lock"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/usage"
	"github.com/iiskit/iiskit/internal/watch"
	"github.com/iiskit/iiskit/internal/watch/svchost"
)

// DefaultWatchListen is the watch daemon's observability address (CLI.md).
const DefaultWatchListen = watch.DefaultListen

// watchFlags are the flags of `iiskit watch`.
type watchFlags struct {
	configFile, listen    string
	listenRemote, verbose bool
	concurrency           int
	common                actionFlags // platform, lab, json, events: the settings of the host and the sinks
}

// newWatchFlagSet is the flag set of `iiskit watch`, filling f.
func newWatchFlagSet(f *watchFlags, getenv func(string) string) *flag.FlagSet {
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	fs.StringVar(&f.configFile, "config", getenv("IISKIT_CONFIG"), "the resource `FILE` (TOML) whose resources the daemon protects; default $IISKIT_CONFIG")
	fs.StringVar(&f.listen, "listen", DefaultWatchListen, "serve /metrics, /healthz and the status page on `ADDR` (loopback)")
	fs.BoolVar(&f.listenRemote, "listen-remote", false, "allow a --listen address other than loopback")
	fs.StringVar(&f.common.platform, "platform", defaultPlatform, "windows or lab")
	fs.StringVar(&f.common.lab, "lab", labURL(getenv), "the lab host's control address")
	fs.BoolVar(&f.common.json, "json", false, "write each event as a JSON line on stdout")
	fs.StringVar(&f.common.events, "events", "", "also append each event as a JSON line to `FILE`")
	fs.BoolVar(&f.verbose, "verbose", false, "log diagnostics on stderr")
	fs.IntVar(&f.concurrency, "concurrency", watch.DefaultConcurrency, "checks and recoveries running at once, at most")
	return fs
}

// watchCommandHelp is watchHelp with the flags of its flag set.
func watchCommandHelp(getenv func(string) string) *usage.Command {
	h := *watchHelp
	h.Flags = []usage.Group{{Title: "Flags", Flags: usage.Flags(newWatchFlagSet(&watchFlags{}, getenv),
		"config", "listen", "listen-remote", "concurrency", "platform", "lab", "json", "events", "verbose")}}
	return &h
}

// parseWatchFlags reads the daemon's command line; -h and every usage error are written
// (the help on stdout, the error on stderr) and returned.
func parseWatchFlags(args []string, s Streams) (*watchFlags, error) {
	f := &watchFlags{}
	fs := newWatchFlagSet(f, s.Getenv)
	help := watchCommandHelp(s.Getenv)
	if err := help.Parse(fs, args, s.Stdout, s.Stderr); err != nil {
		return nil, err
	}
	var err error
	switch {
	case fs.NArg() > 0:
		err = fmt.Errorf("unexpected argument %q (every setting is a flag)", fs.Arg(0))
	case f.configFile == "":
		err = errors.New("--config FILE is required (or $IISKIT_CONFIG)")
	case f.concurrency < 1:
		err = errors.New("--concurrency must be 1 or more")
	default:
		err = watch.CheckListen(f.listen, f.listenRemote)
	}
	if err != nil {
		return nil, help.Fail(s.Stderr, err)
	}
	return f, nil
}

// runWatch runs `iiskit watch`: install and uninstall register the Windows service;
// otherwise the daemon runs until stopped (a signal, or the service manager).
func runWatch(ctx context.Context, args []string, s Streams) int {
	if len(args) > 0 && (args[0] == "install" || args[0] == "uninstall") {
		return svchost.Command(args[0], args[1:], svchost.Install{Getenv: s.Getenv, Stdout: s.Stdout, Stderr: s.Stderr,
			CheckFile: func(path string) error { _, err := watch.Load(path, s.Getenv); return err }})
	}
	f, err := parseWatchFlags(args, s)
	if err != nil {
		return usage.Status(err)
	}
	file, err := watch.Load(f.configFile, s.Getenv)
	if err != nil {
		fmt.Fprintf(s.Stderr, "iiskit watch: %v\n", err)
		return 2
	}
	return svchost.Run(ctx, s.Stderr, func(ctx context.Context, reload <-chan struct{}) int {
		return serveWatch(ctx, f, file, reload, s)
	})
}

// serveWatch runs the daemon and its HTTP server until ctx ends; each receive on reload
// reopens the --events file (logrotate) and re-reads the resource file.
func serveWatch(ctx context.Context, f *watchFlags, file *config.File, reload <-chan struct{}, s Streams) int {
	level := slog.LevelWarn
	if f.verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(s.Stderr, &slog.HandlerOptions{Level: level}))
	// The host is not contacted here: a daemon starts while the host is unreachable,
	// reports its resources down (their checks fail with the SPEC's events) and keeps
	// checking. A bad platform name or a missing prerequisite stays a usage error.
	host, err := invocation.OpenHost(ctx, f.common.settings())
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
	sinks, closeSinks, reopenEvents, err := invocation.OpenReopenableSinks(f.common.settings(), s)
	if err != nil {
		ln.Close()
		fmt.Fprintf(s.Stderr, "iiskit watch: %v\n", err)
		return 2
	}
	defer closeSinks()

	d := watch.New(watch.Options{
		Env:         action.Env{Host: host, Probe: probe.Net{}, Events: sinks, Clock: clock.Real{}, Log: log},
		Locker:      lock.NewKeeper(lock.Dir(s.Getenv)),
		Concurrency: f.concurrency,
	}, file)
	srv := d.Server(f.listenRemote, watch.DefaultServerLimits)
	go func() {
		if err := srv.Serve(watch.Listener(ln, watch.DefaultServerLimits)); err != nil && !errors.Is(err, http.ErrServerClosed) {
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
			if err := reopenEvents(); err != nil {
				log.Error("events file not reopened; still writing to the one open", "err", err)
			}
			d.Reload(f.configFile, func() (*config.File, error) { return watch.Load(f.configFile, s.Getenv) })
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
