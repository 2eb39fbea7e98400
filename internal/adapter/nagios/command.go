package nagios

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/invocation"
	"github.com/iiskit/iiskit/internal/usage"
)

// Help is the help of `iiskit nagios`. It is built on first use: its flag groups describe a
// flag set of every option, work a process that shows no help (every check) should not pay
// for before main.
var Help = sync.OnceValue(func() *usage.Command {
	return &usage.Command{
		Name:    "nagios",
		Summary: "run the quick check (--deep: the deep check) as a Nagios or Icinga plugin",
		Usage:   []string{"iiskit nagios --tag TAG [--deep] [resource flags] [common flags]"},
		Text: "Prints one status line \"IIS OK|WARNING|CRITICAL|UNKNOWN - text | perfdata\", then the\n" +
			"events as long output. Exit status: 0 OK, 1 WARNING (passed with a warning), 2 CRITICAL\n" +
			"(failed), 3 UNKNOWN (could not tell: bad input, the host could not be asked).",
		Flags: invocation.FlagGroups([]usage.Flag{{Name: "deep", Doc: "run the deep check rather than the quick check"}}),
		Examples: []string{
			"iiskit nagios --tag iis-www1 --config /etc/iiskit/resources.toml --deep",
		},
	}
})

// Main runs `iiskit nagios ARGS` (without "nagios"): the check, then the plugin's output
// on s.Stdout. Its exit status is the plugin state.
func Main(ctx context.Context, args []string, s invocation.Streams) int {
	deep := false
	var rest []string
	for _, a := range args {
		switch strings.TrimLeft(a, "-") {
		case "deep", "deep=true":
			deep = true
			continue
		case "deep=false":
			deep = false
			continue
		}
		rest = append(rest, a)
	}
	name, what := action.NameQuickCheck, "quick check"
	if deep {
		name, what = action.NameDeepCheck, "deep check"
	}
	unknown := func(why string) int {
		fmt.Fprint(s.Stdout, Output(Unknown, why, nil, nil))
		return int(Unknown)
	}
	// The plugin's stdout is its output alone: the flag package's messages are dropped
	// (the error says the same), and the events are caught for the long output.
	var events bytes.Buffer
	quiet := invocation.Streams{Getenv: s.Getenv, Environ: s.Environ, Stdout: &events, Stderr: &events}
	// -h writes the help on stdout; a usage error is the plugin's line below, not Fail's.
	req, err := invocation.ParseCommand(Help(), rest, invocation.Streams{Getenv: s.Getenv, Stdout: s.Stdout, Stderr: io.Discard})
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		// The plugin's one line on stdout, as Nagios reads it, pointing at the help.
		msg := strings.TrimPrefix(invocation.Message(err, invocation.FlagNames), invocation.ErrReported.Error()+": ")
		return unknown("bad input: " + msg + "; " + Help().HelpRef())
	}
	act, _ := action.Lookup(name)
	inv, err := invocation.Resolve(ctx, req, act.DefaultTimeout, s.Getenv)
	if err != nil {
		return unknown("bad input: " + invocation.Message(err, invocation.FlagNames))
	}
	// The host once, contacted, before the check: a host that cannot be asked is UNKNOWN
	// with its own words; the check then runs on it.
	host, err := invocation.NewHost(ctx, inv.Settings)
	if err != nil {
		return unknown("the host could not be asked: " + err.Error())
	}
	// Not JSON: the long output is the events' readable lines.
	inv.Settings.JSON = false
	start := time.Now()
	o := invocation.Run(ctx, name, act, inv, host, quiet)
	elapsed := time.Since(start)

	state, text := Decide(o, fmt.Sprintf("site %q (%s) passed the %s", inv.Resource.Site, inv.Resource.Tag, what))
	perf := append(statePerf(o.Seen), TimePerf(elapsed))
	fmt.Fprint(s.Stdout, Output(state, text, perf, strings.Split(events.String(), "\n")))
	return int(state)
}

// statePerf is the performance data of the states the check read (the site's, then each
// application pool's), with IIS's numbers: the plugin reports what the check saw and
// asks IIS nothing more. A state the check did not reach is left out.
func statePerf(seen action.Seen) []Perf {
	if !seen.Site {
		return nil
	}
	out := []Perf{StatePerf("site_state", int(seen.SiteState))}
	for _, p := range seen.Pools {
		out = append(out, StatePerf("pool_"+p.Pool+"_state", int(p.State)))
	}
	return out
}
