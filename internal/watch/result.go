package watch

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/event"
)

// record feeds one check result to the resource's policy and metrics; ok is false when
// a reload has dropped the resource meanwhile.
func (d *Daemon) record(j job, at time.Time, took time.Duration, pass bool) (verdict, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	w := j.w
	if d.workers[strings.ToLower(w.def.Tag)] != w {
		return verdict{}, false
	}
	r := result{At: at, OK: pass, Ran: true, Duration: took}
	if j.level == levelDeep {
		w.deep = r
	} else {
		w.quick = r
	}
	if len(w.lat) == keepLatencies {
		w.lat = append(w.lat[:0], w.lat[1:]...)
	}
	w.lat = append(w.lat, took)
	v := w.pol.observe(at, pass)

	outcome := outcomeFail
	if pass {
		outcome = outcomePass
	}
	w.counts.observe(j.level, outcome, took.Seconds())
	if v.Waiting {
		d.log.Info("recovery waits: the resource is flapping", "tag", w.def.Tag, "percent", w.pol.percent)
	}
	return v, true
}

// up is the CLI.md definition: the last quickcheck and the last deepcheck both passed.
// A deepcheck includes a quickcheck, so before the first quickcheck the deepcheck speaks
// for both.
func (w *worker) up() bool {
	quick := w.quick
	if !quick.Ran || w.deep.At.After(quick.At) {
		quick = w.deep
	}
	return w.deep.Ran && w.deep.OK && quick.OK
}

// act raises the verdict's events and runs the recovery it asks for.
func (d *Daemon) act(w *worker, v verdict, timing action.Options, what *string) {
	tag, s := w.def.Tag, w.def.Watch
	pct := func() string { return fmt.Sprintf("%.1f", w.pol.percent) }
	if v.FlapStarted {
		d.notice(event.WatchFlappingStarted, tag, event.Fields{Site: w.def.Site, Percent: pct(), Limit: fmt.Sprint(s.FlapHigh)})
	}
	if v.FlapStopped {
		d.notice(event.WatchFlappingStopped, tag, event.Fields{Site: w.def.Site, Percent: pct(), Limit: fmt.Sprint(s.FlapLow)})
	}
	if v.BudgetSpent {
		d.notice(event.WatchBudgetSpent, tag, event.Fields{Site: w.def.Site, Limit: fmt.Sprint(s.RecoverBudget), Window: durationText(s.RecoverWindow)})
	}
	if !v.Recover {
		return
	}
	*what = "local recovery"
	d.mu.Lock()
	w.recovering = true
	d.mu.Unlock()
	d.notice(event.WatchRecoverStarted, tag, event.Fields{Site: w.def.Site, Count: v.failures})
	env := d.envFor(w, timing)
	out, err := d.locked(tag, deadline(timing, action.DefaultChangeTimeout), func(ctx context.Context) action.Outcome {
		return d.checks.Recover(ctx, env, w.def.Resource)
	})
	if err != nil {
		d.log.Warn("local recovery could not take the resource's lock", "tag", tag, "err", err)
	}
	ok := err == nil && out.Status == action.Success
	d.mu.Lock()
	w.recovering = false
	w.recovered++
	if ok {
		w.counts.recoveries[0]++
	} else {
		w.counts.recoveries[1]++
	}
	// Look again at once: a deepcheck tells whether the site is back and answering.
	w.nextDeep = d.env.Clock.Now()
	d.mu.Unlock()
	if ok {
		d.notice(event.WatchRecoverSucceeded, tag, event.Fields{Site: w.def.Site})
	} else {
		d.notice(event.WatchRecoverFailed, tag, event.Fields{Site: w.def.Site})
	}
}

// notice emits one of the daemon's own events, for tag ("" for the daemon itself), to
// the daemon's sinks and to the resource's recorder.
func (d *Daemon) notice(id event.ID, tag string, f event.Fields) {
	f.Tag = tag
	f.System = d.env.Host.Hostname()
	e, err := event.New(d.env.Clock.Now(), "watch", id, f)
	if err != nil {
		d.log.Error("could not render event", "id", id, "err", err)
		return
	}
	if err := d.env.Events.Emit(e); err != nil {
		d.log.Error("could not record event", "id", id, "err", err)
	}
	if tag == "" {
		return
	}
	d.mu.Lock()
	w := d.workers[strings.ToLower(tag)]
	d.mu.Unlock()
	if w != nil {
		_ = w.events.Emit(e)
	}
}

// durationText writes a duration as an administrator would, 1h rather than 1h0m0s.
func durationText(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
