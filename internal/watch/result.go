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
func (d *Daemon) record(j job, at time.Time, took time.Duration, pass bool, pools []poolSeen) (verdict, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	w := j.w
	if d.workers[w.key()] != w {
		return verdict{}, false
	}
	w.pools = pools
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
	up := w.up()
	v := w.pol.observe(at, up, !pass)
	if w.verify && j.level == levelDeep {
		// The deepcheck after a recovery that succeeded: only now is it known whether the
		// resource is back.
		w.verify, w.recovering = false, false
		v.Verified, v.Back = true, up
		if up {
			w.counts.recoveries[0]++
		} else {
			w.counts.recoveries[1]++
		}
	}

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
// A deepcheck includes a quickcheck, so a deepcheck newer than the last quickcheck speaks
// for both. A quickcheck that passes therefore never clears a deepcheck that failed: the
// resource stays down until a deepcheck passes.
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
	if v.Verified {
		if v.Back {
			d.notice(event.WatchRecoverSucceeded, tag, event.Fields{Site: w.def.Site})
		} else {
			d.notice(event.WatchRecoverFailed, tag, event.Fields{Site: w.def.Site})
		}
	}
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
	if d.stopped() {
		// Shutting down: only the actions already in flight finish.
		return
	}
	*what = "local recovery"
	d.mu.Lock()
	w.recovering = true
	d.mu.Unlock()
	d.notice(event.WatchRecoverStarted, tag, event.Fields{Site: w.def.Site, Count: v.failures})
	env := d.envFor(w, timing)
	out := d.checks.Recover(context.Background(), env, w.def.Resource)
	if lockFailed(out) {
		d.log.Warn("local recovery could not take the resource's lock", "tag", tag, "cause", out.Cause, "err", out.Err)
	}
	// SPEC P3: a pool the recovery started is part of its events, whatever its result
	// (after the recovery's own events, before 9811 or 9812).
	for _, p := range out.PoolsStarted {
		d.notice(event.WatchPoolStarted, tag, event.Fields{Site: w.def.Site, Pool: p.Pool, PoolState: p.Was.String()})
	}
	ok := out.Status == action.Success
	d.mu.Lock()
	w.recovered++
	if ok {
		// SPEC C3 saw the site Started; whether it answers again, the deepcheck at once
		// tells (record), and only then 9811 or 9812.
		w.verify = true
	} else {
		w.recovering = false
		w.counts.recoveries[1]++
	}
	w.nextDeep = d.env.Clock.Now()
	d.mu.Unlock()
	if !ok {
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
