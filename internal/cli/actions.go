package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/clock"
	"github.com/iiskit/iiskit/internal/config"
	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/lock"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
)

// errReported marks a flag error the flag package has already printed with the usage.
var errReported = errors.New("flag error already reported")

// actionFlags are the flags of CLI.md's actions, plus iiskit's additions.
type actionFlags struct {
	tag, site, typ, ftpUser, ftpPasswordFile string
	configFile, platform, lab, events        string
	json, verbose                            bool
	retryInterval, probeTimeout, timeout     time.Duration
	url, expectStatus, unassignedVia         string
	probeHostLabel                           string
	recoverStartsSite, tlsVerify, deepSMTP   bool
	strictSiteState                          bool
	certWarnDays                             int
	ftpTLS                                   string
	set                                      map[string]bool
}

func parseActionFlags(name string, args []string, s Streams) (*actionFlags, error) {
	f := &actionFlags{set: map[string]bool{}}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(s.Stderr)
	fs.StringVar(&f.tag, "tag", "", "the resource's tag (required)")
	fs.StringVar(&f.site, "site", "", "IIS site name (defines the resource inline, with --type)")
	fs.StringVar(&f.typ, "type", "", "service type: W3, FTP or SMTP (aliases WEB, W3SVC, FTPSVC, MSFTPSVC, SMTPSVC)")
	fs.StringVar(&f.ftpUser, "ftp-user", "", "FTP user of the deep check")
	fs.StringVar(&f.ftpPasswordFile, "ftp-password-file", "", "file holding the FTP password (else $IISKIT_FTP_PASSWORD)")
	fs.StringVar(&f.configFile, "config", s.Getenv("IISKIT_CONFIG"), "resource file (TOML); default $IISKIT_CONFIG")
	fs.StringVar(&f.platform, "platform", defaultPlatform, "windows or lab")
	fs.StringVar(&f.lab, "lab", labURL(s.Getenv), "the lab host's control address")
	fs.BoolVar(&f.json, "json", false, "write each event as a JSON line on stdout")
	fs.StringVar(&f.events, "events", "", "also append each event as a JSON line to this file")
	// The typed flags note which flag a bad value was given to (flagerror.go).
	var bad *flagError
	durationVar(fs, &bad, &f.retryInterval, "retry-interval", action.DefaultRetryInterval, "time between state reads (a `duration`)")
	durationVar(fs, &bad, &f.probeTimeout, "probe-timeout", action.DefaultProbeTimeout, "timeout of each probe stage (a `duration`)")
	durationVar(fs, &bad, &f.timeout, "timeout", 0, "the action's overall deadline (a `duration`; default 120s, 30s for checks)")
	fs.StringVar(&f.url, "url", "", "[ext] path or URL the HTTP deep check requests")
	fs.StringVar(&f.expectStatus, "expect-status", "", "[ext] HTTP statuses that count as an answer, e.g. 200-399")
	fs.StringVar(&f.unassignedVia, "probe-unassigned-via", "", "[ext] address to probe bindings without an IP at")
	fs.BoolVar(&f.recoverStartsSite, "recover-starts-site", false, "[ext] recover starts the site once before waiting")
	fs.BoolVar(&f.tlsVerify, "tls-verify", false, "[ext] certificate problems of https, FTPS and STARTTLS are failures")
	intVar(fs, &bad, &f.certWarnDays, "cert-warn-days", 0, "[ext] warn (9801) when a site's certificate expires within this many days (an `int`)")
	fs.BoolVar(&f.deepSMTP, "deep-smtp", false, "[ext] deepcheck probes SMTP virtual servers too")
	fs.StringVar(&f.ftpTLS, "ftp-tls", "", "[ext] explicit FTPS for the FTP login: true, false or auto")
	fs.StringVar(&f.probeHostLabel, "probe-host-label", "", "[ext] label the HTTP probe puts in place of the * of a wildcard host header (default "+resource.DefaultProbeHostLabel+")")
	fs.BoolVar(&f.strictSiteState, "strict-site-state", false, "[ext] quickcheck fails on every site state but Started")
	fs.BoolVar(&f.verbose, "verbose", false, "log diagnostics (probe failures, platform errors) on stderr")
	if err := fs.Parse(args); err != nil {
		if bad != nil {
			return nil, fmt.Errorf("%w: %w", errReported, bad)
		}
		return nil, fmt.Errorf("%w: %w", errReported, err)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (every setting is a flag)", fs.Arg(0))
	}
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	if strings.TrimSpace(f.tag) == "" {
		return nil, badFlags(func(n []string) string { return n[0] + " is required" }, "tag")
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"retry-interval", f.retryInterval}, {"probe-timeout", f.probeTimeout}, {"timeout", f.timeout}} {
		if f.set[d.name] && d.v <= 0 {
			return nil, badFlags(func(n []string) string { return n[0] + " must be longer than zero" }, d.name)
		}
	}
	return f, nil
}

// runAction runs one of the five actions and returns its exit status.
func runAction(ctx context.Context, name string, args []string, s Streams) int {
	return runActionObserved(ctx, name, args, s, nil)
}

// runActionObserved is runAction that also hands every event to observer (when not nil):
// the cluster adapters read the events to choose their own exit codes.
func runActionObserved(ctx context.Context, name string, args []string, s Streams, observer event.Sink) int {
	act, ok := action.Lookup(name)
	if !ok {
		fmt.Fprintf(s.Stderr, "iiskit: unknown action %q\n", name)
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(s.Stderr, "iiskit %s: "+format+"\n", append([]any{name}, a...)...)
		return 2
	}
	f, err := parseActionFlags(name, args, s)
	if err != nil {
		switch {
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errReported):
			return 2
		}
		return fail("%v", err)
	}
	// The deadline starts now, before the resource file is read: reading it counts
	// against the --timeout (or the default) and cannot outlast it. The file may then set
	// another timeout, counted from the same start.
	start := time.Now()
	loadTimeout := act.DefaultTimeout
	if f.set["timeout"] {
		loadTimeout = f.timeout
	}
	loadCtx, cancelLoad := context.WithDeadline(ctx, start.Add(loadTimeout))
	res, defaults, err := f.resource(loadCtx, s.Getenv)
	outOfTime := loadCtx.Err() != nil // out of time or signalled, not a bad definition
	cancelLoad()
	if err != nil {
		if outOfTime {
			fmt.Fprintf(s.Stderr, "iiskit %s: %v\n", name, err)
			return 1
		}
		return fail("%v", err)
	}
	opts := f.options(defaults)

	level := slog.LevelWarn
	if f.verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(s.Stderr, &slog.HandlerOptions{Level: level}))

	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = act.DefaultTimeout
	}
	deadline := start.Add(timeout)
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()

	host, err := newActionHost(ctx, f.platform, f.lab)
	if err != nil {
		fmt.Fprintf(s.Stderr, "iiskit %s: %v\n", name, err)
		if errors.Is(err, platform.ErrPrerequisite) || platformUsageError(err) {
			return 2
		}
		return 1
	}

	// The events file is created only once the command line, the resource and the
	// platform are known to be good: a usage error changes nothing.
	sinks, closeSinks, err := openSinks(f, s)
	if err != nil {
		return fail("%v", err)
	}
	defer closeSinks()
	if observer != nil {
		sinks = append(sinks, observer)
	}

	// The action's deadline counts from the start; S4's wait for the tag's lock happens
	// inside the action (Env.Locker), which reports it as 9804.
	opts.Timeout = time.Until(deadline)
	env := action.Env{Host: host, Probe: probe.Net{}, Events: sinks, Clock: clock.Real{}, Log: log, Options: opts,
		Locker: lock.Locker{Dir: lock.Dir(s.Getenv)}}
	return int(act.Run(ctx, env, res))
}

// resource builds the resource inline from flags, or looks the tag up in the resource
// file; it also returns the file's defaults.
func (f *actionFlags) resource(ctx context.Context, getenv func(string) string) (resource.Resource, config.Defaults, error) {
	var (
		res      resource.Resource
		defaults config.Defaults
	)
	var file *config.File
	if f.configFile != "" {
		var err error
		if file, err = config.LoadContext(ctx, f.configFile); err != nil {
			if f.set["config"] {
				return res, defaults, badValue("config", err)
			}
			return res, defaults, err // from $IISKIT_CONFIG: no flag to name; the message names the file
		}
		defaults = file.Defaults
	}
	switch {
	case f.site != "" || f.typ != "":
		if f.site == "" || f.typ == "" {
			return res, defaults, badFlags(func(n []string) string {
				return "an inline resource needs both " + n[0] + " and " + n[1]
			}, "site", "type")
		}
		t, err := resource.ParseType(f.typ)
		if err != nil {
			return res, defaults, badValue("type", err)
		}
		res = resource.Resource{Tag: f.tag, Site: f.site, Type: t}
	case file != nil:
		r, ok := file.Lookup(f.tag)
		if !ok {
			return res, defaults, fmt.Errorf("tag %q is not defined in %s", f.tag, file.Path)
		}
		res = r.Resource
	default:
		return res, defaults, badFlags(func(n []string) string {
			return "no resource definition: give " + n[0] + " and " + n[1] + ", or " + n[2] + " FILE (or $IISKIT_CONFIG)"
		}, "site", "type", "config")
	}
	if err := f.applyOptions(&res.Options); err != nil {
		return res, defaults, err
	}
	if f.ftpUser != "" {
		res.FTP.User = f.ftpUser
	}
	if f.ftpPasswordFile != "" {
		res.FTP.PasswordFile = f.ftpPasswordFile
	}
	if err := res.Validate(); err != nil {
		return res, defaults, f.definitionError(err)
	}
	if res.Type == resource.FTP {
		pw, err := config.FTPPassword(res.FTP.PasswordFile, getenv)
		if err != nil {
			return res, defaults, err
		}
		res.FTP.Password = pw
	}
	return res, defaults, nil
}

// definitionError reports the first rule resource.Validate found broken, naming the flag
// that set the value, or the resource file's key when no flag did. Each key of the
// resource file is the flag of the same name with dashes for underscores.
func (f *actionFlags) definitionError(err error) error {
	var fe *resource.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	flagName := strings.ReplaceAll(fe.Key, "_", "-")
	if !f.set[flagName] && f.configFile != "" {
		return fmt.Errorf("%s: resource %q: key %s: %s", f.configFile, f.tag, fe.Key, fe.Msg)
	}
	return badValue(flagName, errors.New(fe.Msg))
}

// applyOptions lays the [ext] flags over what the resource file says.
func (f *actionFlags) applyOptions(o *resource.Options) error {
	if f.set["url"] {
		o.URL = f.url
	}
	if f.set["expect-status"] {
		r, err := resource.ParseStatusRanges(f.expectStatus)
		if err != nil {
			return badValue("expect-status", err)
		}
		o.ExpectStatus = r
	}
	if f.set["probe-unassigned-via"] {
		ip, err := resource.ParseAddr(f.unassignedVia)
		if err != nil {
			return badValue("probe-unassigned-via", err)
		}
		o.ProbeUnassignedVia = ip
	}
	if f.set["recover-starts-site"] {
		o.RecoverStartsSite = f.recoverStartsSite
	}
	if f.set["tls-verify"] {
		o.TLSVerify = f.tlsVerify
	}
	if f.set["cert-warn-days"] {
		o.CertWarnDays = f.certWarnDays
	}
	if f.set["deep-smtp"] {
		o.DeepSMTP = f.deepSMTP
	}
	if f.set["ftp-tls"] {
		p, err := resource.ParseTLSMode(f.ftpTLS)
		if err != nil {
			return badValue("ftp-tls", err)
		}
		o.FTPTLS = p
	}
	if f.set["strict-site-state"] {
		o.StrictSiteState = f.strictSiteState
	}
	if f.set["probe-host-label"] {
		o.ProbeHostLabel = f.probeHostLabel
	}
	return nil
}

// options are the timing flags over the resource file's defaults.
func (f *actionFlags) options(d config.Defaults) action.Options {
	o := action.Options{RetryInterval: d.RetryInterval, ProbeTimeout: d.ProbeTimeout, Timeout: d.Timeout}
	if f.set["retry-interval"] || o.RetryInterval == 0 {
		o.RetryInterval = f.retryInterval
	}
	if f.set["probe-timeout"] || o.ProbeTimeout == 0 {
		o.ProbeTimeout = f.probeTimeout
	}
	if f.set["timeout"] {
		o.Timeout = f.timeout
	}
	return o
}
