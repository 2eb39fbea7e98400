package action

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// run is one action in progress: its resource, its deadline and its event stream.
type run struct {
	ctx      context.Context
	env      Env
	opts     Options
	res      resource.Resource
	action   string
	service  string // the Windows service name, $SVCTYPE
	deadline time.Time
	log      *slog.Logger
	repeats  repeats // the step diagnostics logged so far, see diag
	nameErr  error   // why the service name could not be resolved (begin), if it could not
	// fault is why the latest host read or wait failed (Cause None when it succeeded):
	// the cause of a step that fails on a read it could not make.
	fault Outcome
	out   Outcome // the outcome decided so far; see decide
	// warnings are the Warning events written so far, for Outcome.Warnings.
	warnings []string
	// started are the pools P2/P3 started so far, for Outcome.PoolsStarted.
	started []PoolStart
	// seen is the site and pool states read so far, for Outcome.Seen.
	seen Seen
}

// begin starts an action: it fills the defaults, sets the overall deadline both on the
// context (so platform calls stop) and on the clock (so waits stop), and resolves the
// service name. The function it returns ends the action: it also writes the summary of
// repeated diagnostics (see diag).
func begin(ctx context.Context, env Env, res resource.Resource, action string) (*run, context.CancelFunc) {
	a, _ := Lookup(action)
	opts := env.Options.withDefaults(a.DefaultTimeout)
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	log := env.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	r := &run{
		ctx: ctx, env: env, opts: opts, res: res, action: action,
		deadline: env.Clock.Now().Add(opts.Timeout),
		log:      log.With("action", action, "tag", res.Tag),
	}
	r.service = res.Type.ServiceName()
	if name, err := env.Host.ServiceName(ctx, res.Type); err != nil {
		r.nameErr = err
		r.log.Warn("could not tell which Windows service carries the site; assuming the current one", "type", res.Type, "service", r.service, "err", err)
	} else {
		r.service = name
	}
	return r, func() {
		r.summarise()
		cancel()
	}
}

// fields returns the substitutions every event of this action shares.
func (r *run) fields() event.Fields {
	return event.Fields{
		Tag:         r.res.Tag,
		Site:        r.res.Site,
		System:      r.env.Host.Hostname(),
		ServiceName: r.service,
		SiteType:    r.res.Type.String() + " site",
	}
}

// emit writes event id with the shared fields, adjusted by set. A sink that cannot write
// is reported in the log; it does not change the action's outcome.
func (r *run) emit(id event.ID, set func(*event.Fields)) {
	r.emitOutcome(id, set, nil)
}

// decide fails the action with event id and the outcome o (its cause and what the step
// found): the event carries o's words as its cause. The first decision stands; a later
// event (restore's closing 9408) repeats its cause.
func (r *run) decide(id event.ID, set func(*event.Fields), o Outcome) {
	o.Status = Failure
	if o.Service == "" {
		o.Service = r.service
	}
	if r.out.Status == Failure {
		o = r.out
	}
	r.emitOutcome(id, set, &o)
	if r.out.Status != Failure {
		r.out = o
	}
}

// failWithout fails the action with o when no step has an event for it (SPEC M6, D4.5
// results beyond 6, the lock).
func (r *run) failWithout(o Outcome) {
	if r.out.Status == Failure {
		return
	}
	o.Status = Failure
	if o.Service == "" {
		o.Service = r.service
	}
	r.out = o
}

// emitOutcome is emit for an event that decides outcome o (nil for any other event): o
// takes the event's text, and the event o's cause.
func (r *run) emitOutcome(id event.ID, set func(*event.Fields), o *Outcome) {
	f := r.fields()
	if set != nil {
		set(&f)
	}
	e, err := event.New(r.env.Clock.Now(), r.action, id, f)
	if err != nil {
		r.log.Error("could not render event", "id", id, "err", err)
		return
	}
	if o != nil {
		if o.Event == "" {
			o.Event = strings.Join(strings.Fields(e.Message), " ")
		}
		e.Cause = o.Why()
	}
	if e.Severity == event.Warning {
		r.warnings = append(r.warnings, strings.Join(strings.Fields(e.Message), " "))
	}
	if err := r.env.Events.Emit(e); err != nil {
		r.log.Error("could not record event", "id", id, "err", err)
	}
}

// outcome is the action's result: success, or the failure decided on the way.
func (r *run) outcome(ok bool) Outcome {
	o := r.out
	switch {
	case ok:
		o = Outcome{Status: Success}
	case o.Status != Failure:
		// Every failing step decides its cause, so this is a guard, not a path: a
		// failure without a cause, which the adapters treat as a generic failure.
		o = Outcome{Status: Failure}
	}
	o.Warnings = r.warnings
	o.PoolsStarted = r.started
	o.Seen = r.seen
	return o
}

// faultOr is the cause of a step that failed with the result o, unless the latest host
// read failed: then the step could not find out, and that fault is the cause.
func (r *run) faultOr(step string, o Outcome) Outcome {
	if r.fault.Cause != CauseNone {
		return r.fault
	}
	o.Step = step
	return o
}

// noteFault records that step could not read the host (err), as the fault it is: the
// service is not installed, the action is out of time, or the host could not be asked.
func (r *run) noteFault(step string, err error) {
	o := Outcome{Step: step, Service: r.service, Err: err}
	switch {
	case errors.Is(err, platform.ErrNoService) || errors.Is(r.nameErr, platform.ErrNoService):
		o.Cause = CauseServiceAbsent
	case r.ctx.Err() != nil:
		o.Cause = CauseOutOfTime
	default:
		o.Cause = CauseHostUnreachable
	}
	r.fault = o
}

// outOfTime records that step's wait ended at the deadline (or a signal). A wait whose
// latest read failed keeps that fault: the host could not be asked up to the deadline,
// which says more than the deadline itself.
func (r *run) outOfTime(step string) {
	if r.fault.Cause == CauseHostUnreachable || r.fault.Cause == CauseServiceAbsent {
		return
	}
	err := context.Cause(r.ctx)
	if err == nil {
		err = context.DeadlineExceeded
	}
	r.fault = Outcome{Cause: CauseOutOfTime, Step: step, Service: r.service, Err: err}
}

// withService sets $SVCSTATECODE and $SVCSTATEDESC.
func withService(st platform.ServiceState) func(*event.Fields) {
	return func(f *event.Fields) {
		f.ServiceCode = uint32(st)
		f.ServiceDesc = st.String()
	}
}

// sleep waits one retry interval, cut short by the deadline; it reports false, without
// waiting, once the deadline or the context has passed.
func (r *run) sleep() bool {
	left := r.deadline.Sub(r.env.Clock.Now())
	if left <= 0 || r.ctx.Err() != nil {
		return false
	}
	select {
	case <-r.ctx.Done():
		return false
	case <-r.env.Clock.After(min(r.opts.RetryInterval, left)):
		return true
	}
}

// serviceState reads the service state once; a failed read is logged and reported as 0,
// which no rule treats as Running.
func (r *run) serviceState(step string) platform.ServiceState {
	st, err := r.env.Host.ServiceState(r.ctx, r.service)
	if err != nil {
		r.noteFault(step, err)
		r.diag(slog.LevelError, step, "could not query the service state", "service", r.service, "err", err)
		return 0
	}
	r.fault = Outcome{}
	return st
}

// waitRunning brings the service to Running and waits for it (SPEC Timing): it sends a
// start request, or a continue request to a Paused service [ext] (a start request cannot
// resume one), then polls the state at the retry interval until it is Running, falls back
// to Stopped, or the deadline comes. A request the service manager refuses outright
// (disabled, missing, access denied) ends the wait at once. st is the state the step has
// just read; the result is the last state read.
func (r *run) waitRunning(step string, st platform.ServiceState) (platform.ServiceState, bool) {
	continued := false
	request := func(st platform.ServiceState) error {
		if st == platform.Paused {
			continued = true
			return r.env.Host.ContinueService(r.ctx, r.service)
		}
		return r.env.Host.StartService(r.ctx, r.service)
	}
	last := st
	if err := request(st); err != nil {
		if errors.Is(err, platform.ErrStartRefused) {
			r.refused(step, err, last)
			r.diag(slog.LevelError, step, "the service manager refused to start the service", "service", r.service, "err", err)
			return last, false
		}
		r.diag(slog.LevelWarn, step, "start request failed; watching the state anyway", "service", r.service, "err", err)
	}
	for {
		if st := r.serviceState(step); st != 0 {
			last = st
		}
		switch {
		case last == platform.Running:
			return last, true
		case last == platform.Stopped:
			return last, false
		case last == platform.Paused && !continued:
			// Paused while it was starting: only a continue request resumes it.
			if err := request(last); errors.Is(err, platform.ErrStartRefused) {
				r.refused(step, err, last)
				r.diag(slog.LevelError, step, "the service manager refused to continue the service", "service", r.service, "err", err)
				return last, false
			}
		}
		if !r.sleep() {
			r.outOfTime(step)
			if r.fault.Cause == CauseOutOfTime {
				r.fault.ServiceState = last // the state it was still in
			}
			return last, false
		}
	}
}

// refused records a start or continue request the service manager refused: the service
// is not installed, or it will not run (disabled, access denied) and stays in state st.
func (r *run) refused(step string, err error, st platform.ServiceState) {
	if errors.Is(err, platform.ErrNoService) {
		r.noteFault(step, err)
		return
	}
	r.fault = Outcome{Cause: CauseServiceNotRunning, Step: step, Service: r.service, ServiceState: st, Err: err}
}

// listSites reads every site of the resource's service once.
func (r *run) listSites(step string) ([]platform.Site, bool) {
	sites, err := r.env.Host.ListSites(r.ctx, r.res.Type)
	if err != nil {
		r.noteFault(step, err)
		r.diag(slog.LevelError, step, "could not list the IIS sites", "type", r.res.Type, "err", err)
		return nil, false
	}
	r.fault = Outcome{}
	return sites, true
}

// findSite reads a new listing and picks the protected site: found is false when it is
// absent or the listing failed (the original cannot tell these apart: both give a null
// index, and so the same event; the outcome tells them apart, see faultOr).
func (r *run) findSite(step string) (site platform.Site, found bool) {
	sr := r.readSite(step)
	return sr.site, sr.found
}

// siteRead is one read of the protected site: listed is false when the listing failed,
// found is false when the site was not in it.
type siteRead struct {
	site          platform.Site
	listed, found bool
}

// readSite reads a new listing and picks the protected site from it (platform.Lookup:
// a host that indexes its listing, the watch daemon's tick view, picks it itself).
func (r *run) readSite(step string) siteRead {
	s, found, err := platform.Lookup(r.ctx, r.env.Host, r.res.Type, r.res.Site)
	if err != nil {
		r.noteFault(step, err)
		r.diag(slog.LevelError, step, "could not list the IIS sites", "type", r.res.Type, "err", err)
		return siteRead{}
	}
	r.fault = Outcome{}
	if found {
		r.seen.Site, r.seen.SiteState = true, s.State
	}
	return siteRead{site: s, listed: true, found: found}
}

// verdict is what one read of a bounded read loop decides.
type verdict int

const (
	readAgain verdict = iota // not settled: read again after the retry interval
	settled                  // the step succeeds
	failed                   // the step fails without further reads
)

// readSiteUntil is the bounded read loop of R6, M4 and C3: it reads the protected site's
// state up to Options.Reads times in all, the retry interval apart and within the
// deadline, until judge settles it. first, when set, is the loop's first read, which the
// step already made (C3 reads C2's listing). It reports whether judge said settled.
func (r *run) readSiteUntil(step string, first *siteRead, judge func(siteRead) verdict) bool {
	return readUntil(r, step, first, func() siteRead { return r.readSite(step) }, judge)
}

// readUntil is the one bounded read loop (R6, M4, C3, and P2/P3's pool reads): it reads
// up to Options.Reads times in all, the retry interval apart and within the deadline, until
// judge settles or fails it; first, when set, is its first read. A deadline that ends it
// is reported as the step's running out of time. It reports whether judge said settled.
func readUntil[T any](r *run, step string, first *T, read func() T, judge func(T) verdict) bool {
	for n := 1; ; n++ {
		var v T
		if n == 1 && first != nil {
			v = *first
		} else {
			v = read()
		}
		switch judge(v) {
		case settled:
			return true
		case failed:
			return false
		}
		if n >= r.opts.Reads {
			return false
		}
		if !r.sleep() {
			r.outOfTime(step)
			return false
		}
	}
}

// siteOutcome is the cause of a bounded read loop (R6, M4, C3) that did not settle, from
// its last read: the deadline or a failed read if one ended it, the site gone, or the
// state it was left in.
func (r *run) siteOutcome(step string, last siteRead, c Cause) Outcome {
	switch {
	case r.fault.Cause != CauseNone:
		return r.fault
	case !last.found:
		return Outcome{Cause: CauseSiteAbsent, Step: step}
	}
	return Outcome{Cause: c, Step: step, SiteState: last.site.State}
}
