package watch

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/clock/clocktest"
	"github.com/iiskit/iiskit/internal/config"
	"github.com/iiskit/iiskit/internal/event/eventtest"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
)

// TestHungSiteDelaysNobody: a check that does not return (a site that accepts and never
// answers, until its deadline) keeps only its own resource waiting; the others are
// checked tick after tick, and the hung one is not started twice.
func TestHungSiteDelaysNobody(t *testing.T) {
	release := make(chan struct{})
	hung := make(chan struct{}, 1)
	fine := make(chan string, 10)
	sc := &script{}
	checks := sc.checks(action.Success)
	checks.Deep = func(ctx context.Context, env action.Env, r resource.Resource) action.Outcome {
		if r.Tag == "hung" {
			hung <- struct{}{}
			<-release
			return action.Outcome{Status: action.Success}
		}
		fine <- "deep"
		return action.Outcome{Status: action.Success}
	}
	checks.Quick = func(ctx context.Context, env action.Env, r resource.Resource) action.Outcome {
		fine <- r.Tag + " quick"
		return action.Outcome{Status: action.Success}
	}
	s := testWatch
	s.QuickInterval = 2 * time.Second
	h := newHarness(t, checks, file("w.toml", s, "hung", "fine"))
	h.clock.After(0)
	h.d.Tick(h.clock.Now()) // hung's first check starts and hangs
	<-hung
	// fine starts 1 s later (two starts spread over 2 s), then every 2 s; hung is due at
	// 2 s and 4 s but still running, so it is not started again.
	want := map[int]string{1: "deep", 3: "fine quick", 5: "fine quick"}
	for sec := 1; sec <= 5; sec++ {
		h.clock.After(time.Second)
		h.d.Tick(h.clock.Now())
		if w, ok := want[sec]; ok {
			select {
			case got := <-fine:
				if got != w {
					t.Errorf("t=%ds ran %q, want %q", sec, got, w)
				}
				h.waitIdle("fine")
			case <-time.After(10 * time.Second):
				t.Fatalf("t=%ds: fine was not checked while hung hangs", sec)
			}
		}
	}
	close(release)
	h.d.Wait()
	if len(fine) != 0 {
		t.Errorf("unexpected checks: %q", <-fine)
	}
	h.tick(time.Second) // t=6: hung is due again (fine next at 7 s)
	close(fine)
	var got []string
	for c := range fine {
		got = append(got, c)
	}
	slices.Sort(got)
	if want := []string{"hung quick"}; !slices.Equal(got, want) {
		t.Errorf("after the hung check ended: ran %v, want %v", got, want)
	}
}

// waitIdle returns once tag's check has wholly finished (its result recorded), so that
// the next tick finds it free; the hung resource keeps the daemon from a plain Wait.
func (h *harness) waitIdle(tag string) {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		h.d.mu.Lock()
		busy := h.d.inflight[tag]
		h.d.mu.Unlock()
		if !busy {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("%s still busy after 10 s", tag)
		}
		runtime.Gosched()
	}
}

// certProbe answers every HTTP probe with a certificate expiring at notAfter.
type certProbe struct{ notAfter time.Time }

func (p certProbe) HTTP(context.Context, probe.HTTPTarget) probe.Result {
	return probe.Result{Code: probe.OK, CertNotAfter: p.notAfter}
}
func (certProbe) FTPLogin(context.Context, probe.FTPTarget) probe.Result { return probe.Result{} }
func (certProbe) SMTP(context.Context, probe.SMTPTarget) probe.Result    { return probe.Result{} }

// TestCertificateExpiryMetric: the expiry a deepcheck's HTTPS probe saw becomes the
// resource's cert_not_after_timestamp_seconds, labelled with the probed binding.
func TestCertificateExpiryMetric(t *testing.T) {
	notAfter := epoch.Add(30 * 24 * time.Hour)
	sc := &script{}
	checks := sc.checks(action.Success)
	checks.Deep = func(ctx context.Context, env action.Env, r resource.Resource) action.Outcome {
		env.Probe.HTTP(ctx, probe.HTTPTarget{Addr: "127.0.0.9:443", TLS: true})
		return action.Outcome{Status: action.Success}
	}
	h := newHarness(t, checks, file("w.toml", testWatch, "tls"))
	h.d.env.Probe = certProbe{notAfter}
	h.tick(0)
	if got := h.series("iiskit_watch_cert_not_after_timestamp_seconds", "tag", "tls", "binding", "127.0.0.9:443"); got != float64(notAfter.Unix()) {
		t.Errorf("cert_not_after_timestamp_seconds = %v, want %d", got, notAfter.Unix())
	}
}

// hangingChecks are checks whose deepcheck of every tag in hang blocks until release is
// closed; calls counts the checks started, by tag.
type hangingChecks struct {
	mu      sync.Mutex
	calls   map[string]int
	started chan string
	release chan struct{}
}

func newHanging() *hangingChecks {
	return &hangingChecks{calls: map[string]int{}, started: make(chan string, 100), release: make(chan struct{})}
}

func (hc *hangingChecks) check(_ context.Context, _ action.Env, r resource.Resource) action.Outcome {
	hc.mu.Lock()
	hc.calls[r.Tag]++
	hc.mu.Unlock()
	hc.started <- r.Tag
	<-hc.release
	return action.Outcome{Status: action.Success}
}

func (hc *hangingChecks) count(tag string) int {
	hc.mu.Lock()
	defer hc.mu.Unlock()
	return hc.calls[tag]
}

func (hc *hangingChecks) checks() Checks {
	return Checks{Quick: hc.check, Deep: hc.check,
		Recover: func(context.Context, action.Env, resource.Resource) action.Outcome {
			return action.Outcome{Status: action.Success}
		}}
}

// TestReloadKeepsTheInFlightMark: a reload that changes the definition of a resource
// whose check hangs makes it a new worker, but its tag is still in flight: no second
// check of it is queued while the first runs, whatever the reloads.
func TestReloadKeepsTheInFlightMark(t *testing.T) {
	hc := newHanging()
	h := newHarness(t, hc.checks(), file("w.toml", testWatch, "hung"))
	h.clock.After(0)
	h.d.Tick(h.clock.Now())
	<-hc.started
	for i := range 5 {
		next := file("w.toml", testWatch, "hung")
		next.Resources[0].Site = fmt.Sprintf("Site %d", i) // a changed definition each time
		if !h.d.Reload("w.toml", func() (*config.File, error) { return next, nil }) {
			t.Fatal("reload refused")
		}
		for range 3 {
			h.clock.After(time.Second)
			h.d.Tick(h.clock.Now())
		}
	}
	if n := hc.count("hung"); n != 1 {
		t.Errorf("%d checks of the hung tag started, want 1 (no second check while one is in flight)", n)
	}
	close(hc.release)
	h.d.Wait()
	if n := hc.count("hung"); n != 1 {
		t.Errorf("%d checks of the hung tag ran in all, want 1", n)
	}
}

// TestStopDropsTheQueue: at shutdown the checks still queued (waiting for a worker) never
// start; only those in flight finish.
func TestStopDropsTheQueue(t *testing.T) {
	hc := newHanging()
	tags := []string{"a", "b", "c", "d", "e", "f"}
	s := testWatch
	s.QuickInterval = time.Millisecond // every first check due in the first tick
	h := newHarness(t, hc.checks(), file("w.toml", s, tags...))
	h.d.maxWorkers = 2
	h.clock.After(time.Millisecond)
	h.d.Tick(h.clock.Now())
	<-hc.started
	<-hc.started // two in flight, four queued
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan struct{})
	go func() { h.d.Run(ctx); close(done) }()
	// Wait (10 s at most) until Run has seen the end: the queue is empty then.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); runtime.Gosched() {
		h.d.qmu.Lock()
		queued := len(h.d.queue)
		h.d.qmu.Unlock()
		if queued == 0 {
			break
		}
	}
	close(hc.release)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10 s of the in-flight checks ending")
	}
	total := 0
	for _, tag := range tags {
		total += hc.count(tag)
	}
	if total != 2 {
		t.Errorf("%d checks ran, want the 2 in flight at shutdown (the 4 queued dropped)", total)
	}
}

// forgetLocker is a Locker that records the tags forgotten.
type forgetLocker struct {
	mu        sync.Mutex
	forgotten []string
}

func (l *forgetLocker) TryLock(string) (func(), bool, error) { return func() {}, true, nil }
func (l *forgetLocker) Lock(context.Context, string) (func(), error) {
	return func() {}, nil
}
func (l *forgetLocker) Forget(tag string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.forgotten = append(l.forgotten, tag)
}

// TestReloadForgetsDroppedTagsLocks: a reload closes the lock files of the tags it drops
// (and only those: a changed resource keeps its tag and its lock file).
func TestReloadForgetsDroppedTagsLocks(t *testing.T) {
	lk := &forgetLocker{}
	sc := &script{}
	h := &harness{t: t, clock: clocktest.New(epoch), events: &eventtest.Recorder{}, host: &fakeHost{}}
	h.d = New(Options{Env: action.Env{Host: h.host, Events: h.events, Clock: h.clock},
		Checks: sc.checks(action.Success), Locker: lk}, file("w.toml", testWatch, "keep", "change", "drop1", "drop2"))
	h.tick(0)
	next := file("w.toml", testWatch, "keep", "change", "new")
	next.Resources[1].Site = "Elsewhere"
	h.d.Reload("w.toml", func() (*config.File, error) { return next, nil })
	slices.Sort(lk.forgotten)
	if want := []string{"drop1", "drop2"}; !slices.Equal(lk.forgotten, want) {
		t.Errorf("forgotten %v, want %v", lk.forgotten, want)
	}
}
