// Package watch is iiskit's monitoring daemon, LifeKeeper's loop as a product: it runs
// every resource's quickcheck and deepcheck on a schedule through package action, applies
// the thresholds (failures before recovery, the recovery budget, flap detection), runs
// local recovery, and reports to Prometheus and a status page. It is the only package
// that owns schedules and thresholds.
package watch

import (
	"context"
	"log/slog"
	"reflect"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/config"
	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/resource"
)

// Checks are the actions the daemon runs; ActionChecks in production, fakes in tests of
// the policy.
type Checks struct {
	Quick, Deep, Recover func(context.Context, action.Env, resource.Resource) action.Outcome
}

// ActionChecks are package action's quickcheck, deepcheck and recover: the daemon runs
// the same code as a cluster manager's call.
var ActionChecks = Checks{Quick: action.QuickCheck, Deep: action.DeepCheck, Recover: action.Recover}

// LockFunc takes a resource's per-tag lock (SPEC S4) until ctx's deadline; the release
// function gives it back.
type LockFunc func(ctx context.Context, tag string) (release func(), err error)

// DefaultConcurrency bounds the checks and recoveries running at once.
const DefaultConcurrency = 64

// Options are what a Daemon works with.
type Options struct {
	// Env is the host, probes, event sinks, clock and logger every action gets; its
	// Options (timing) are replaced by the resource file's [defaults].
	Env action.Env
	// Checks defaults to ActionChecks.
	Checks Checks
	// Lock takes the per-tag lock around every action; nil takes none (tests).
	Lock LockFunc
	// Concurrency bounds the actions running at once (default DefaultConcurrency).
	Concurrency int
}

// Daemon protects the resources of one resource file.
type Daemon struct {
	env     action.Env
	checks  Checks
	lock    LockFunc
	log     *slog.Logger
	metrics *collector
	started time.Time

	// The checks of a tick wait in queue for one of at most maxWorkers goroutines, which
	// run checks until the queue is empty: a goroutine per check would grow a new stack
	// for each (about a tenth of a deepcheck's CPU time at 1,000 resources).
	qmu        sync.Mutex
	queue      []queued
	running    int // goroutines taking from queue
	maxWorkers int

	mu      sync.Mutex
	file    *config.File
	timing  action.Options
	workers map[string]*worker // by lower-case tag
	order   []*worker          // file order
	wg      sync.WaitGroup     // in-flight actions
}

// worker is one resource's schedule, policy and recent past.
type worker struct {
	def        config.Resource
	pol        policy
	nextQuick  time.Time
	nextDeep   time.Time
	busy       bool
	quick      result
	deep       result
	recovered  int // recoveries run, for the page
	recovering bool
	lat        []time.Duration
	events     recorder
	certs      certRecord
	counts     counts // for /metrics
}

// New returns a daemon for file's resources, whose FTP passwords the caller has already
// read (config.FTPPassword). Nothing runs until Run.
func New(opts Options, file *config.File) *Daemon {
	if opts.Checks.Quick == nil {
		opts.Checks = ActionChecks
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	log := opts.Env.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d := &Daemon{
		env: opts.Env, checks: opts.Checks, lock: opts.Lock, log: log,
		maxWorkers: opts.Concurrency, workers: map[string]*worker{},
	}
	d.metrics = newCollector(d)
	d.started = d.env.Clock.Now()
	d.apply(file, d.started)
	d.notice(event.WatchStarted, "", event.Fields{Count: len(file.Resources), File: file.Path})
	return d
}

// Run checks the resources until ctx ends, then waits for the actions in flight to finish
// within their own deadlines (a check cut short would report a fault that is not there)
// and returns.
func (d *Daemon) Run(ctx context.Context) {
	for {
		d.mu.Lock()
		wait := d.resolution()
		d.mu.Unlock()
		select {
		case <-ctx.Done():
			d.wg.Wait()
			return
		case <-d.env.Clock.After(wait):
			d.Tick(d.env.Clock.Now())
		}
	}
}

// Wait returns when no action is in flight.
func (d *Daemon) Wait() { d.wg.Wait() }

// Reload replaces the resource file: unchanged resources (same definition and settings)
// keep their state; new and changed ones start afresh. A file that cannot be loaded is
// refused with event 9816, and the daemon goes on with the one it has.
func (d *Daemon) Reload(path string, load func() (*config.File, error)) bool {
	f, err := load()
	if err != nil {
		d.notice(event.WatchReloadRefused, "", event.Fields{File: path, Reason: err.Error()})
		return false
	}
	d.apply(f, d.env.Clock.Now())
	d.notice(event.WatchReloaded, "", event.Fields{Count: len(f.Resources), File: f.Path})
	return true
}

// apply installs f's resources at now, keeping the workers of unchanged ones.
func (d *Daemon) apply(f *config.File, now time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.file = f
	d.timing = action.Options{RetryInterval: f.Defaults.RetryInterval, ProbeTimeout: f.Defaults.ProbeTimeout, Timeout: f.Defaults.Timeout}
	old := d.workers
	d.workers = make(map[string]*worker, len(f.Resources))
	d.order = d.order[:0]
	var fresh []*worker
	for _, r := range f.Resources {
		key := strings.ToLower(r.Tag)
		w, ok := old[key]
		delete(old, key)
		if !ok || !reflect.DeepEqual(w.def, r) {
			w = &worker{def: r, pol: policy{s: r.Watch}}
			fresh = append(fresh, w)
		}
		d.workers[key] = w
		d.order = append(d.order, w)
	}
	for i, w := range fresh {
		// The first check is a deepcheck (it includes the quickcheck), so that every
		// resource is known up or down after one pass; the starts are spread over one
		// quick interval.
		w.nextDeep = now.Add(stagger(i, len(fresh), w.def.Watch.QuickInterval))
		w.nextQuick = w.nextDeep.Add(w.def.Watch.QuickInterval)
	}
}

// resolution is the scheduler's period for the resources now loaded (mu held).
func (d *Daemon) resolution() time.Duration {
	shortest := 4 * maxResolution // resolution() caps it at maxResolution
	for _, w := range d.order {
		shortest = min(shortest, w.def.Watch.QuickInterval)
	}
	return resolution(shortest)
}

// job is one check to run in a tick.
type job struct {
	w     *worker
	level string
}

// Tick starts every check due at now that is not already running, all reading one site
// listing per service type and one state per service (tickView), and returns without
// waiting for them. A resource whose check is still running (a hung site) is skipped
// until it is done: it delays nobody else.
func (d *Daemon) Tick(now time.Time) {
	d.mu.Lock()
	var jobs []job
	for _, w := range d.order {
		if w.busy {
			continue
		}
		switch {
		case !now.Before(w.nextDeep):
			jobs = append(jobs, job{w, levelDeep})
			w.nextDeep = now.Add(w.def.Watch.DeepInterval)
			w.nextQuick = now.Add(w.def.Watch.QuickInterval)
		case !now.Before(w.nextQuick):
			jobs = append(jobs, job{w, levelQuick})
			w.nextQuick = now.Add(w.def.Watch.QuickInterval)
		default:
			continue
		}
		w.busy = true
	}
	timing := d.timing
	d.mu.Unlock()
	if len(jobs) == 0 {
		return
	}
	view := newTickView(d.env.Host, func(t resource.Type, err error) {
		outcome := outcomePass
		if err != nil {
			outcome = outcomeFail
		}
		d.metrics.listed(t.String(), outcome)
	})
	d.wg.Add(len(jobs))
	d.qmu.Lock()
	for _, j := range jobs {
		d.queue = append(d.queue, queued{j, view, timing})
	}
	start := min(d.maxWorkers-d.running, len(d.queue))
	d.running += start
	d.qmu.Unlock()
	for range start {
		go d.work()
	}
}

// queued is a job waiting for a worker goroutine, with its tick's view and timing.
type queued struct {
	j      job
	view   *tickView
	timing action.Options
}

// work runs queued jobs until there is none left.
func (d *Daemon) work() {
	for {
		d.qmu.Lock()
		if len(d.queue) == 0 {
			d.queue = nil
			d.running--
			d.qmu.Unlock()
			return
		}
		q := d.queue[0]
		d.queue[0] = queued{}
		d.queue = d.queue[1:]
		d.qmu.Unlock()
		d.run(q.j, q.view, q.timing)
	}
}

// run is one job on a worker goroutine: it runs the check and, when the policy says so,
// the recovery. A panic is contained here: reported (9817, metric, log)
// and the daemon goes on.
func (d *Daemon) run(j job, view *tickView, timing action.Options) {
	defer d.wg.Done()
	defer func() {
		d.mu.Lock()
		j.w.busy = false
		d.mu.Unlock()
	}()
	what := j.level + "check"
	defer func() {
		if p := recover(); p != nil {
			d.log.Error("internal error in the watch daemon", "tag", j.w.def.Tag, "during", what, "panic", p, "stack", string(debug.Stack()))
			d.mu.Lock()
			j.w.counts.panics++
			j.w.counts.observe(j.level, outcomeError, 0)
			d.mu.Unlock()
			d.notice(event.WatchCheckPanicked, j.w.def.Tag, event.Fields{Site: j.w.def.Site, Reason: what})
		}
	}()
	env := d.envFor(j.w, timing)
	env.Host, env.Listings = view, view
	check := d.checks.Quick
	if j.level == levelDeep {
		check = d.checks.Deep
	}
	start := d.env.Clock.Now()
	out, err := d.locked(j.w.def.Tag, deadline(timing, action.DefaultCheckTimeout), func(ctx context.Context) action.Outcome {
		return check(ctx, env, j.w.def.Resource)
	})
	took := d.env.Clock.Now().Sub(start)
	if err != nil {
		// Another action held the lock until the check's deadline: the check did not
		// run, which says nothing about the site.
		d.log.Warn("check skipped: the resource's lock stayed busy", "tag", j.w.def.Tag, "level", j.level, "err", err)
		d.mu.Lock()
		j.w.counts.observe(j.level, outcomeError, 0)
		d.mu.Unlock()
		return
	}
	v, ok := d.record(j, start, took, out.Status == action.Success)
	if !ok {
		return // dropped by a reload meanwhile
	}
	d.act(j.w, v, timing, &what)
}

// deadline is an action's overall deadline: [defaults] timeout when the file sets one,
// else the action's default (SPEC Timing), as for a cluster manager's call.
func deadline(timing action.Options, def time.Duration) time.Duration {
	if timing.Timeout > 0 {
		return timing.Timeout
	}
	return def
}

// locked runs fn under the resource's per-tag lock, waiting for it until the action's
// deadline, which the wait counts against (as for a cluster manager's call). This is the
// daemon's one place that takes the lock.
func (d *Daemon) locked(tag string, timeout time.Duration, fn func(context.Context) action.Outcome) (action.Outcome, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if d.lock != nil {
		release, err := d.lock(ctx, tag)
		if err != nil {
			return action.Outcome{Status: action.Failure, Cause: action.CauseLockBusy, Err: err}, err
		}
		defer release()
	}
	return fn(ctx), nil
}

// envFor is the action environment of one resource: the daemon's, plus the resource's
// own event recorder (status page) and certificate record (metrics).
func (d *Daemon) envFor(w *worker, timing action.Options) action.Env {
	env := d.env
	env.Options = timing
	env.Events = event.Multi{d.env.Events, &w.events}
	if env.Probe != nil {
		env.Probe = certProber{Prober: env.Probe, rec: &w.certs}
	}
	return env
}
