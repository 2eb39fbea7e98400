package invocation

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/clock"
	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/lock"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/usage"
)

// Main runs the action called name with the command line args: parse, resolve once, run.
// It returns the action's exit status (2 for a usage or definition error).
func Main(ctx context.Context, name string, args []string, s Streams) int {
	act, ok := action.Lookup(name)
	if !ok {
		fmt.Fprintf(s.Stderr, "iiskit: unknown action %q\n", name)
		return 2
	}
	help := ActionHelp(name)
	req, err := ParseCommand(help, args, s)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) && !errors.Is(err, ErrReported) {
			_ = help.Fail(s.Stderr, err)
		}
		return usage.Status(err)
	}
	req.ForRemove = name == action.NameRemove
	inv, err := Resolve(ctx, req, act.DefaultTimeout, s.Getenv)
	if err != nil {
		var bad *Error
		if Classify(err) == Definition && errors.As(err, &bad) {
			// A flag's value or a combination of flags: a usage error.
			_ = help.Fail(s.Stderr, err)
			return 2
		}
		fmt.Fprintf(s.Stderr, "iiskit %s: %v\n", name, err)
		if Classify(err) == Interrupted {
			return 1
		}
		return 2
	}
	return int(Run(ctx, name, act, inv, nil, s).Status)
}

// Run runs act on the resolved invocation under its deadline: it builds the host unless
// host is given (an adapter that has built it already) and opens the event sinks (after
// every usage check, so a usage error creates no file). It returns the action's outcome,
// which the adapters decide on; a failure before the action runs is an outcome too (a
// usage error is CauseBadDefinition, status 2).
func Run(ctx context.Context, name string, act action.Action, inv *Invocation, host platform.Host, s Streams) action.Outcome {
	ctx, cancel := context.WithDeadline(ctx, inv.Deadline)
	defer cancel()
	level := slog.LevelWarn
	if inv.Settings.Verbose {
		level = slog.LevelInfo
	}
	diags := newDiagHandler(s.Stderr, name, level)
	log := slog.New(diags)
	if host == nil {
		var err error
		if host, err = OpenHost(ctx, inv.Settings); err != nil {
			fmt.Fprintf(s.Stderr, "iiskit %s: %v\n", name, err)
			if errors.Is(err, platform.ErrPrerequisite) || PlatformUsageError(err) {
				return badDefinition(err)
			}
			return action.Outcome{Status: action.Failure, Cause: action.CauseHostUnreachable, Err: err}
		}
	}
	sinks, closeSinks, err := OpenSinks(inv.Settings, s)
	if err != nil {
		fmt.Fprintf(s.Stderr, "iiskit %s: %v\n", name, err)
		return badDefinition(err)
	}
	defer closeSinks()
	// The action's deadline counts from the start of the resolution; S4's wait for the
	// tag's lock happens inside the action (Env.Locker), which reports it as 9804.
	opts := inv.Options
	opts.Timeout = time.Until(inv.Deadline)
	env := action.Env{Host: host, Probe: probe.Net{}, Events: sinks, Clock: clock.Real{}, Log: log, Options: opts,
		Locker: lock.Locker{Dir: lock.Dir(s.Getenv)}}
	o := act.Run(ctx, env, inv.Resource)
	if o.Status == action.Failure && o.Fault() && !diags.wroteError() {
		// The events keep the original's texts, which do not name such a cause (a host
		// that cannot be reached reads as "StateCode = 0"): say it in words, unless the
		// action's first error line already did (a failed read names its error).
		fmt.Fprintf(s.Stderr, "iiskit %s: %s\n", name, event.EscapeControls(o.Why()))
	}
	return o
}

// badDefinition is the outcome of a command line or resource definition that is wrong.
func badDefinition(err error) action.Outcome {
	return action.Outcome{Status: action.Usage, Cause: action.CauseBadDefinition, Err: err}
}
