// Package watchcmd is the command `iiskit watch`: it reads the daemon's flags and resource
// file, opens the host and the event sinks, and runs the watch daemon and its status
// server under svchost (a Windows service, or signals) until stopped. It lives apart from
// package watch because svchost, which it calls, imports watch.
package watchcmd

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

// Help is `iiskit watch -h` without its flags (commandHelp adds them).
var Help = &usage.Command{
	Name:    "watch",
	Summary: "the watch daemon: check every resource of a file on a schedule, recover locally, serve a status page and metrics",
	Usage: []string{
		"iiskit watch --config FILE [--listen 127.0.0.1:9780] [common flags]",
		"iiskit watch install|uninstall --config FILE   (Windows service)",
	},
	Text: "SIGHUP reloads the resource file; SIGINT or SIGTERM stops the daemon. The resource\n" +
		"file's [watch] table sets the schedule and thresholds (docs/watch.md).",
	Examples: []string{"iiskit watch --config /etc/iiskit/resources.toml"},
}

// Subs are the subcommands `iiskit watch install|uninstall` (the Windows service).
var Subs = svchost.Helps

// flags are the flags of `iiskit watch`.
type flags struct {
	listen       string
	listenRemote bool
	concurrency  int
	// commonSettings are the common settings the daemon takes, defined once in
	// invocation.SettingTable: the resource file, the host, the sinks, diagnostics.
	settings invocation.Settings
}

// commonSettings are the common settings `iiskit watch` takes as flags; the timing
// settings come from the resource file's [defaults] instead.
var commonSettings = []string{"config", "platform", "lab", "json", "events", "verbose"}

// newFlagSet is the flag set of `iiskit watch`, filling f with the daemon's own flags;
// the common settings' flags are SettingTable's, read from the returned Request
// (invocation.ResolveSettings).
func newFlagSet(f *flags, getenv func(string) string) (*flag.FlagSet, *invocation.Request) {
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	req := invocation.AddSettingFlags(fs, getenv, commonSettings...)
	fs.StringVar(&f.listen, "listen", watch.DefaultListen, "serve /metrics, /healthz and the status page on `ADDR` (loopback)")
	fs.BoolVar(&f.listenRemote, "listen-remote", false, "allow a --listen address other than loopback")
	fs.IntVar(&f.concurrency, "concurrency", watch.DefaultConcurrency, "checks and recoveries running at once, at most")
	return fs, req
}

// commandHelp is Help with the flags of its flag set.
func commandHelp(getenv func(string) string) *usage.Command {
	h := *Help
	fs, _ := newFlagSet(&flags{}, getenv)
	h.Flags = []usage.Group{{Title: "Flags", Flags: usage.Flags(fs,
		"config", "listen", "listen-remote", "concurrency", "platform", "lab", "json", "events", "verbose")}}
	return &h
}

// parseFlags reads the daemon's command line; -h and every usage error are written (the
// help on stdout, the error on stderr) and returned.
func parseFlags(args []string, s invocation.Streams) (*flags, error) {
	f := &flags{}
	fs, req := newFlagSet(f, s.Getenv)
	help := commandHelp(s.Getenv)
	if err := help.Parse(fs, args, s.Stdout, s.Stderr); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, help.Fail(s.Stderr, fmt.Errorf("unexpected argument %q (every setting is a flag)", fs.Arg(0)))
	}
	set, err := invocation.ResolveSettings(req, s.Getenv)
	if err != nil {
		return nil, help.Fail(s.Stderr, err)
	}
	f.settings = set
	switch {
	case f.settings.Config == "":
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

// Main runs `iiskit watch ARGS` (without "watch") and returns the exit status: install
// and uninstall register the Windows service; otherwise the daemon runs until stopped (a
// signal, or the service manager).
func Main(ctx context.Context, args []string, s invocation.Streams) int {
	if len(args) > 0 && (args[0] == "install" || args[0] == "uninstall") {
		return svchost.Command(args[0], args[1:], svchost.Install{Getenv: s.Getenv, Stdout: s.Stdout, Stderr: s.Stderr,
			CheckFile: func(path string) error { _, err := watch.Load(path, s.Getenv); return err }})
	}
	f, err := parseFlags(args, s)
	if err != nil {
		return usage.Status(err)
	}
	file, err := watch.Load(f.settings.Config, s.Getenv)
	if err != nil {
		fmt.Fprintf(s.Stderr, "iiskit watch: %v\n", err)
		return 2
	}
	return svchost.Run(ctx, s.Stderr, func(ctx context.Context, reload <-chan struct{}) int {
		return serve(ctx, f, file, reload, s)
	})
}

// serve runs the daemon and its HTTP server until ctx ends; each receive on reload
// reopens the --events file (logrotate) and re-reads the resource file.
func serve(ctx context.Context, f *flags, file *config.File, reload <-chan struct{}, s invocation.Streams) int {
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
