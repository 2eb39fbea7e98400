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
	"github.com/iiskit/iiskit/internal/watch"
	"github.com/iiskit/iiskit/internal/watch/svchost"
)

// DefaultWatchListen is the watch daemon's observability address (CLI.md).
const DefaultWatchListen = watch.DefaultListen

// watchFlags are the flags of `iiskit watch`.
type watchFlags struct {
	listen       string
	listenRemote bool
	concurrency  int
	// settings are the common settings the daemon takes, defined once in
	// invocation.SettingTable: the resource file, the host, the sinks, diagnostics.
	settings invocation.Settings
}

// watchSettings are the common settings `iiskit watch` takes as flags; the timing
// settings come from the resource file's [defaults] instead.
var watchSettings = []string{"config", "platform", "lab", "json", "events", "verbose"}

// newWatchFlagSet is the flag set of `iiskit watch`, filling f with the daemon's own
// flags; the common settings' flags are SettingTable's, read from the returned Request
// (invocation.ResolveSettings).
func newWatchFlagSet(f *watchFlags, getenv func(string) string) (*flag.FlagSet, *invocation.Request) {
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	req := invocation.AddSettingFlags(fs, getenv, watchSettings...)
	fs.StringVar(&f.listen, "listen", DefaultWatchListen, "address of /metrics, /healthz and the status page (loopback)")
	fs.BoolVar(&f.listenRemote, "listen-remote", false, "allow a --listen address other than loopback")
	fs.IntVar(&f.concurrency, "concurrency", watch.DefaultConcurrency, "checks and recoveries running at once, at most")
	return fs, req
}

func parseWatchFlags(args []string, s Streams) (*watchFlags, error) {
	f := &watchFlags{}
	fs, req := newWatchFlagSet(f, s.Getenv)
	fs.SetOutput(s.Stderr)
	if err := fs.Parse(args); err != nil {
		return nil, fmt.Errorf("%w: %w", invocation.ErrReported, err)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (every setting is a flag)", fs.Arg(0))
	}
	set, err := invocation.ResolveSettings(req, s.Getenv)
	if err != nil {
		return nil, err
	}
	f.settings = set
	if f.settings.Config == "" {
		return nil, errors.New("--config FILE is required (or $IISKIT_CONFIG)")
	}
	if f.concurrency < 1 {
		return nil, errors.New("--concurrency must be 1 or more")
	}
	if err := watch.CheckListen(f.listen, f.listenRemote); err != nil {
		return nil, err
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
		switch {
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, invocation.ErrReported):
			return 2
		}
		fmt.Fprintf(s.Stderr, "iiskit watch: %v\n", err)
		return 2
	}
	file, err := watch.Load(f.settings.Config, s.Getenv)
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
	if f.settings.Verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(s.Stderr, &slog.HandlerOptions{Level: level}))
	// The host is not contacted here: a daemon starts while the host is unreachable,
	// reports its resources down (their checks fail with the SPEC's events) and keeps
	// checking. A bad platform name or a missing prerequisite stays a usage error.
	host, err := invocation.OpenHost(ctx, f.settings)
	if err != nil {
		fmt.Fprintf(s.Stderr, "iiskit watch: %v\n", err)
		if errors.Is(err, platform.ErrPrerequisite) || invocation.PlatformUsageError(err) {
			return 2
		}
		return 1
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		fmt.Fprintf(s.Stderr, "iiskit watch: %v\n", err)
		return 1
	}
	sinks, closeSinks, reopenEvents, err := invocation.OpenReopenableSinks(f.settings, s)
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
			d.Reload(f.settings.Config, func() (*config.File, error) { return watch.Load(f.settings.Config, s.Getenv) })
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
