package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/adapter/nagios"
	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

const nagiosUsage = `usage: iiskit nagios --tag TAG [--deep] [resource flags] [common flags]
Runs the quick check (with --deep the deep check) as a Nagios/Icinga plugin: one status
line "IIS OK|WARNING|CRITICAL|UNKNOWN - text | perfdata", the events as long output, exit
0 OK, 1 WARNING (passed with a warning), 2 CRITICAL (failed), 3 UNKNOWN (could not tell).
The resource and common flags are those of the actions (iiskit quickcheck -h).
`

// perfReadTimeout bounds the reads of the site and pool states for the performance data.
const perfReadTimeout = 5 * time.Second

// runNagios runs `iiskit nagios`: the check, then the plugin's output. Its exit status is
// the plugin state.
func runNagios(ctx context.Context, args []string, s Streams) int {
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
		fmt.Fprint(s.Stdout, nagios.Output(nagios.Unknown, why, nil, nil))
		return int(nagios.Unknown)
	}
	// The plugin's stdout is its output alone: flag messages and events go nowhere else
	// here (the event log and --events still get the events).
	quiet := Streams{Getenv: s.Getenv, Stdout: io.Discard, Stderr: io.Discard}
	f, err := parseActionFlags("nagios", rest, quiet)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(s.Stdout, nagiosUsage)
		return int(nagios.Unknown)
	case err != nil:
		return unknown("bad input: " + ocfReasonPlain(err))
	}
	res, _, err := f.resource(ctx, s.Getenv)
	if err != nil {
		return unknown("bad input: " + ocfReasonPlain(err))
	}
	host, err := newHost(ctx, f.platform, f.lab)
	if err != nil {
		return unknown("the host could not be asked: " + err.Error())
	}

	start := time.Now()
	rec := &event.Recorder{}
	status := runActionObserved(ctx, name, rest, quiet, rec)
	elapsed := time.Since(start)

	o := nagios.Outcome{Passed: status == int(action.Success)}
	if status == int(action.Usage) {
		o = nagios.Outcome{Undetermined: true, Why: "bad input: the check refused its definition"}
	}
	var long []string
	for _, e := range rec.Events() {
		long = append(long, e.String())
		switch {
		case e.Severity == event.Error && o.FirstError == "":
			o.FirstError = e.Message
		case e.Severity == event.Warning && o.FirstWarning == "":
			o.FirstWarning = e.Message
		}
	}
	state, text := nagios.Decide(o, fmt.Sprintf("site %q (%s) passed the %s", res.Site, res.Tag, what))
	perf := append(statePerf(ctx, host, res), nagios.TimePerf(elapsed))
	fmt.Fprint(s.Stdout, nagios.Output(state, text, perf, long))
	return int(state)
}

// statePerf reads the site's state and its application pools' states once, for the
// performance data, with IIS's numbers. A state that cannot be read is left out: the
// check's own verdict stands either way.
func statePerf(ctx context.Context, host platform.Host, res resource.Resource) []nagios.Perf {
	ctx, cancel := context.WithTimeout(ctx, perfReadTimeout)
	defer cancel()
	sites, err := host.ListSites(ctx, res.Type)
	if err != nil {
		return nil
	}
	site, found := platform.FindSite(sites, res.Site)
	if !found {
		return nil
	}
	out := []nagios.Perf{nagios.StatePerf("site_state", int(site.State))}
	for _, pool := range action.PoolsOf(res, site) {
		if st, err := host.PoolState(ctx, pool); err == nil {
			out = append(out, nagios.StatePerf("pool_"+pool+"_state", int(st)))
		}
	}
	return out
}

// ocfReasonPlain is a flag or definition error on one line, naming the flag.
func ocfReasonPlain(err error) string {
	var fe *flagError
	if errors.As(err, &fe) {
		return fe.namedBy(func(flag string) string { return "--" + flag })
	}
	return strings.TrimPrefix(err.Error(), errReported.Error()+": ")
}
