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
	Quick, Deep, Recover action.Func
}

// ActionChecks are package action's quickcheck, deepcheck and recover, from the table
// every entry point uses: the daemon runs the same code, with the same deadlines, as a
// cluster manager's call.
var ActionChecks = Checks{Quick: actionFunc(action.NameQuickCheck), Deep: actionFunc(action.NameDeepCheck),
	Recover: actionFunc(action.NameRecover)}

func actionFunc(name string) action.Func {
	a, _ := action.Lookup(name)
	return a.Run
}

// Locker is the per-tag lock of SPEC S4 that the daemon's actions take through
// action.Env.Locker, as every other entry point's do (lock.Keeper in production).
type Locker interface {
	action.Locker
	// Forget lets go of a tag the daemon no longer protects (a reload dropped it): its
	// lock file is closed.
	Forget(tag string)
}

// DefaultConcurrency bounds the checks and recoveries running at once.
const DefaultConcurrency = 64

// Options are what a Daemon works with.
type Options struct {
	// Env is the host, probes, event sinks, clock and logger every action gets; its
	// Options (timing) are replaced by the resource file's [defaults], and its Locker by
	// Locker.
	Env action.Env
	// Checks defaults to ActionChecks.
	Checks Checks
	// Locker is the per-tag lock every action takes; nil takes none (tests).
	Locker Locker
	// Concurrency bounds the actions running at once (default DefaultConcurrency).
	Concurrency int
}

// Daemon protects the resources of one resource file.
type Daemon struct {
	env     action.Env
	checks  Checks
	locker  Locker
	log     *slog.Logger
	metrics *collector
	started time.Time

	// The checks of a tick wait in queue for one of at most maxWorkers goroutines, which
	// run checks until the queue is empty: a goroutine per check would grow a new stack
	// for each (about a tenth of a deepcheck's CPU time at 1,000 resources).
	qmu        sync.Mutex
	queue      []queued
	running    int  // goroutines taking from queue
	stopping   bool // Run is ending: the queue is dropped and no job starts
	maxWorkers int

	mu      sync.Mutex
	file    *config.File
	timing  action.Options
	workers map[string]*worker // by lower-case tag
	order   []*worker          // file order
	// inflight marks the tags (lower case) with a job queued or running. It is keyed by
	// tag, not by worker: a reload that changes a resource whose check hangs makes a new
	// worker, and the tag must still not be checked twice at once.
	inflight map[string]bool
	wg       sync.WaitGroup // queued and in-flight jobs
}

// worker is one resource's schedule, policy and recent past.
type worker struct {
	def       config.Resource
	pol       policy
	nextQuick time.Time
	nextDeep  time.Time
	quick     result
	deep      result
	recovered int // recoveries run, for the page
	// recovering is set from the start of a local recovery until the deepcheck after it
	// tells whether the resource is back (verify) or the recovery itself failed.
	recovering bool
	verify     bool // the recovery succeeded: the next deepcheck decides 9811 or 9812
	lat        []time.Duration
	events     recorder
	certs      certRecord
	counts     counts // for /metrics
	// pools are the resource's application pools as its last check's tick saw them
	// (replaced whole, never changed in place: a scrape may keep the slice).
	pools []poolSeen
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
		env: opts.Env, checks: opts.Checks, locker: opts.Locker, log: log,
		maxWorkers: opts.Concurrency, workers: map[string]*worker{}, inflight: map[string]bool{},
	}
	d.metrics = newCollector(d)
	d.started = d.env.Clock.Now()
	d.apply(file, d.started)
	d.notice(event.WatchStarted, "", event.Fields{Count: len(file.Resources), File: file.Path})
	return d
}

// Run checks the resources until ctx ends, then drops the checks still queued and waits
// for the actions in flight to finish within their own deadlines (a check cut short would
// report a fault that is not there), and returns.
func (d *Daemon) Run(ctx context.Context) {
	for {
		d.mu.Lock()
		wait := d.resolution()
		d.mu.Unlock()
		select {
		case <-ctx.Done():
			d.stop()
			d.wg.Wait()
			return
		case <-d.env.Clock.After(wait):
			d.Tick(d.env.Clock.Now())
		}
	}
}

// Wait returns when no action is in flight.
func (d *Daemon) Wait() { d.wg.Wait() }

// stop drops the queued jobs, none of which has started, and keeps new ones from
// starting: at shutdown only the actions in flight finish. With 40 hung sites and 4
// workers, the queue would otherwise hold shutdown for ten check deadlines.
func (d *Daemon) stop() {
	d.qmu.Lock()
	d.stopping = true
	dropped := d.queue
	d.queue = nil
	d.qmu.Unlock()
	d.mu.Lock()
	for _, q := range dropped {
		delete(d.inflight, q.j.w.key())
	}
	d.mu.Unlock()
	for range dropped {
		d.wg.Done()
	}
}

// stopped reports whether Run is ending.
func (d *Daemon) stopped() bool {
	d.qmu.Lock()
	defer d.qmu.Unlock()
	return d.stopping
}

func (w *worker) key() string { return strings.ToLower(w.def.Tag) }

// Reload replaces the resource file: unchanged resources (same definition and settings)
// keep their state; new and changed ones start afresh. A file that cannot be loaded is
// refused with event 9816, and the daemon goes on with the one it has.
func (d *Daemon) Reload(path string, load func() (*config.File, error)) bool {
	f, err := load()
	if err != nil {
		d.notice(event.WatchReloadRefused, "", event.Fields{File: path, Reason: err.Error()})
		return false
	}
	for _, tag := range d.apply(f, d.env.Clock.Now()) {
		if d.locker != nil {
			d.locker.Forget(tag)
		}
	}
	d.notice(event.WatchReloaded, "", event.Fields{Count: len(f.Resources), File: f.Path})
	return true
}

// apply installs f's resources at now, keeping the workers of unchanged ones; it returns
// the tags no longer protected.
func (d *Daemon) apply(f *config.File, now time.Time) (dropped []string) {
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
	for _, w := range old {
		dropped = append(dropped, w.def.Tag)
	}
	return dropped
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

// Tick starts every check due at now whose tag has none queued or running, all reading
// one site listing per service type and one state per service (tickView), and returns
// without waiting for them. A resource whose check is still running (a hung site) is
// skipped until it is done: it delays nobody else.
func (d *Daemon) Tick(now time.Time) {
	if d.stopped() {
		return
	}
	d.mu.Lock()
	var jobs []job
	for _, w := range d.order {
		if d.inflight[w.key()] {
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
		d.inflight[w.key()] = true
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
		if len(d.queue) == 0 || d.stopping {
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
		delete(d.inflight, j.w.key())
		d.mu.Unlock()
	}()
	if !d.current(j.w) {
		return // a reload dropped or changed the resource while the job waited
	}
	what := j.level + "check"
	defer func() {
		if p := recover(); p != nil {
			d.log.Error("internal error in the watch daemon", "tag", j.w.def.Tag, "during", what, "panic", p, "stack", string(debug.Stack()))
			d.mu.Lock()
			j.w.counts.panics++
			j.w.counts.observe(j.level, outcomeError, 0)
			if what != j.level+"check" {
				j.w.recovering, j.w.verify = false, false
			}
			d.mu.Unlock()
			d.notice(event.WatchCheckPanicked, j.w.def.Tag, event.Fields{Site: j.w.def.Site, Reason: what})
		}
	}()
	env := d.envFor(j.w, timing)
	// The checks read the tick's view as their host; recoveries never do (act).
	env.Host = view
	check := d.checks.Quick
	if j.level == levelDeep {
		check = d.checks.Deep
	}
	start := d.env.Clock.Now()
	// The action sets its own deadline (action.Lookup's table, or [defaults] timeout)
	// and waits for the lock within it, raising 9804 as every entry point's action does.
	out := check(context.Background(), env, j.w.def.Resource)
	took := d.env.Clock.Now().Sub(start)
	if lockFailed(out) {
		// Another action held the lock until the check's deadline, or the lock could not
		// be taken at all (9805): the check did not run, which says nothing about the site.
		d.log.Warn("check skipped: the resource's lock could not be taken", "tag", j.w.def.Tag, "level", j.level, "cause", out.Cause, "err", out.Err)
		d.mu.Lock()
		j.w.counts.observe(j.level, outcomeError, 0)
		d.mu.Unlock()
		return
	}
	// The pools as this tick saw them (the check's own P1 reads among them), for the
	// metrics and the page: a scrape never reads the host.
	pools := readPools(context.Background(), view, j.w.def.Resource, action.DefaultCheckTimeout)
	v, ok := d.record(j, start, took, out.Status == action.Success, pools)
	if !ok {
		return // dropped by a reload meanwhile
	}
	d.act(j.w, v, timing, &what)
}

// current reports whether w is still the worker of its tag (no reload replaced it).
func (d *Daemon) current(w *worker) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.workers[w.key()] == w
}

// lockFailed reports whether an action ended without taking the tag's lock (SPEC S4):
// busy until its deadline (after 9804), or unusable (9805). It checked nothing.
func lockFailed(out action.Outcome) bool {
	return out.Cause == action.CauseLockBusy || out.Cause == action.CauseLockUnusable
}

// envFor is the action environment of one resource: the daemon's, plus the resource's
// own event recorder (status page) and certificate record (metrics), and the per-tag
// lock every action takes.
func (d *Daemon) envFor(w *worker, timing action.Options) action.Env {
	env := d.env
	env.Options = timing
	env.Events = event.Multi{d.env.Events, &w.events}
	if env.Probe != nil {
		env.Probe = certProber{Prober: env.Probe, rec: &w.certs}
	}
	env.Locker = nil
	if d.locker != nil {
		env.Locker = d.locker
	}
	return env
}
