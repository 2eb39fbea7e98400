package watch

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/clock/clocktest"
	"github.com/iiskit/iiskit/internal/config"
	"github.com/iiskit/iiskit/internal/event/eventtest"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// poolHost is a host with one Started W3 site, "Shop", whose applications run in the
// pools ShopPool (root) and Api: the shape the IIS configuration reference gives a site
// (learn.microsoft.com/en-us/iis/configuration/system.applicationhost/sites/site/application:
// a root application and further ones, such as a shopping cart's, each <application>
// naming its applicationPool). It counts every pool read and start request.
type poolHost struct {
	mu     sync.Mutex
	pools  map[string]platform.PoolState // a pool absent from the map does not exist
	reads  map[string]int
	starts []string
}

func newPoolHost() *poolHost {
	return &poolHost{pools: map[string]platform.PoolState{"ShopPool": platform.PoolStarted, "Api": platform.PoolStarted},
		reads: map[string]int{}}
}

func (h *poolHost) Hostname() string { return "NODE1" }
func (h *poolHost) ServiceName(context.Context, resource.Type) (string, error) {
	return "W3SVC", nil
}
func (h *poolHost) ServiceState(context.Context, string) (platform.ServiceState, error) {
	return platform.Running, nil
}
func (h *poolHost) StartService(context.Context, string) error    { return nil }
func (h *poolHost) ContinueService(context.Context, string) error { return nil }
func (h *poolHost) ListSites(_ context.Context, t resource.Type) ([]platform.Site, error) {
	if t != resource.W3 {
		return nil, nil
	}
	return []platform.Site{{Name: "Shop", ID: 1, State: platform.SiteStarted, Pools: []string{"ShopPool", "Api"}}}, nil
}
func (h *poolHost) StartSite(context.Context, resource.Type, platform.Site) error { return nil }
func (h *poolHost) StopSite(context.Context, resource.Type, platform.Site) error  { return nil }

func (h *poolHost) PoolState(_ context.Context, name string) (platform.PoolState, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.reads[name]++
	st, ok := h.pools[name]
	if !ok {
		return platform.PoolUnknown, fmt.Errorf("reading %s: %w", name, platform.ErrNoPool)
	}
	return st, nil
}

func (h *poolHost) StartPool(_ context.Context, name string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.starts = append(h.starts, name)
	if _, ok := h.pools[name]; !ok {
		return platform.ErrNoPool
	}
	h.pools[name] = platform.PoolStarted
	return nil
}

func (h *poolHost) set(name string, st platform.PoolState) {
	h.mu.Lock()
	h.pools[name] = st
	h.mu.Unlock()
}

// readCounts returns the pool reads so far and forgets them.
func (h *poolHost) readCounts() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := maps.Clone(h.reads)
	clear(h.reads)
	return out
}

// poolChecks are package action's quickcheck and recover; the "deepcheck" is the
// quickcheck too (a deepcheck runs it first, SPEC D1), so that no probe is needed.
var poolChecks = Checks{Quick: action.QuickCheck, Deep: action.QuickCheck, Recover: action.Recover}

func newPoolHarness(t *testing.T, host *poolHost, f *config.File) *harness {
	t.Helper()
	h := &harness{t: t, clock: clocktest.New(epoch), events: &eventtest.Recorder{}}
	h.d = New(Options{Env: action.Env{Host: host, Events: h.events, Clock: h.clock}, Checks: poolChecks}, f)
	return h
}

// shopFile protects the site Shop twice: "a" with its own pools (from the listing), "b"
// with app_pools naming ShopPool and a pool that does not exist.
func shopFile(s config.Watch) *config.File {
	f := &config.File{Path: "w.toml", Watch: s}
	a := resource.Resource{Tag: "a", Site: "Shop", Type: resource.W3}
	b := a
	b.Tag, b.Options.AppPools = "b", []string{"ShopPool", "Gone"}
	f.Resources = []config.Resource{{Resource: a, Watch: s}, {Resource: b, Watch: s}}
	return f
}

// TestAppPoolStateMetric (CLI.md: iiskit_app_pool_state{tag,pool} with IIS's numbers):
// each pool of each W3 resource, as action.PoolsOf picks them (the listing's for "a",
// app_pools for "b"), read from the tick's view: one read per pool per tick whatever
// the checks and resources that need it, and none per scrape. A pool that does not exist
// has no series.
func TestAppPoolStateMetric(t *testing.T) {
	s := testWatch
	s.FailuresBeforeRecover = 1000 // b fails all along (Gone): no recovery in this test
	host := newPoolHost()
	host.set("Api", platform.PoolStopping) // in transition: P1 passes
	h := newPoolHarness(t, host, shopFile(s))
	h.tick(0)           // a's first check (b's starts half a quick interval later)
	h.tick(time.Second) // a quick and b deep: one tick, ShopPool needed by both
	if got, want := host.readCounts(), map[string]int{"ShopPool": 2, "Api": 2, "Gone": 1}; !maps.Equal(got, want) {
		t.Errorf("pool reads over two ticks %v, want %v (one per pool per tick)", got, want)
	}
	want := map[string]float64{"a ShopPool": 1, "a Api": 2, "b ShopPool": 1, "b Gone": -1}
	check := func(when string) {
		t.Helper()
		for k, v := range want {
			tag, pool, _ := strings.Cut(k, " ")
			if got := h.series("iiskit_app_pool_state", "tag", tag, "pool", pool); got != v {
				t.Errorf("%s: iiskit_app_pool_state{tag=%q,pool=%q} = %v, want %v", when, tag, pool, got, v)
			}
		}
		if n := h.count("iiskit_app_pool_state"); n != 3 {
			t.Errorf("%s: %d pool series, want 3", when, n)
		}
	}
	check("after two ticks")
	check("scraped again")
	if got := host.readCounts(); len(got) != 0 {
		t.Errorf("scrapes read the pools %v, want no read", got)
	}

	// Api stops: a's quickcheck fails on it (9820) and the metric says 3, IIS's Stopped.
	host.set("Api", platform.PoolStopped)
	host.set("ShopPool", platform.PoolStarting)
	h.tick(time.Second)
	want = map[string]float64{"a ShopPool": 0, "a Api": 3, "b ShopPool": 0, "b Gone": -1}
	check("after Api stopped")
	if got, want := host.readCounts(), map[string]int{"ShopPool": 1, "Api": 1, "Gone": 1}; !maps.Equal(got, want) {
		t.Errorf("pool reads in one tick %v, want %v", got, want)
	}
	var pools []string
	for _, r := range h.d.Status() {
		for _, p := range r.Pools {
			pools = append(pools, fmt.Sprintf("%s %s %s %s", r.Tag, p.Name, p.Label(), p.Class()))
		}
	}
	wantPools := []string{"a ShopPool Starting pool-moving", "a Api Stopped pool-bad", "b ShopPool Starting pool-moving", "b Gone does not exist pool-bad"}
	if !slices.Equal(pools, wantPools) {
		t.Errorf("status pools %q, want %q", pools, wantPools)
	}
}

// TestStatusPageShowsPools: the page lists each pool of a resource with its state, a
// stopped one red (the class whose colour the stylesheet makes red).
func TestStatusPageShowsPools(t *testing.T) {
	s := testWatch
	s.RecoverBudget = 0 // never recovered: the pool stays stopped
	host := newPoolHost()
	host.set("Api", platform.PoolStopped)
	f := shopFile(s)
	f.Resources = f.Resources[:1]
	h := newPoolHarness(t, host, f)
	h.tick(0)
	var page bytes.Buffer
	if err := h.d.writePage(&page); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<li class="pool pool-ok" data-pool="ShopPool" data-pool-state="Started">ShopPool <b>Started</b></li>`,
		`<li class="pool pool-bad" data-pool="Api" data-pool-state="Stopped">Api <b>Stopped</b></li>`,
		`.pool-bad { background: #c81e1e; color: #fff; }`,
	} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

// TestRecoveryStartsAPool (SPEC P3): a stopped pool fails the quickcheck (9820), the local
// recovery (package action's recover) starts it, and the daemon reports the pool it
// started (9824) between 9810 and the 9811 of the deepcheck after it; the metric follows.
func TestRecoveryStartsAPool(t *testing.T) {
	host := newPoolHost()
	f := shopFile(testWatch)
	f.Resources = f.Resources[:1]
	h := newPoolHarness(t, host, f)
	h.tick(0)
	h.ids()
	host.set("Api", platform.PoolStopped)
	h.tick(time.Second) // quickcheck: 9820; recovery: P3 starts Api
	h.tick(time.Second) // the deepcheck after the recovery: 9811
	var got []string
	for _, e := range h.events.Events() {
		got = append(got, fmt.Sprintf("%s %d: %s", e.Severity, e.ID, e.Message))
	}
	want := []string{
		`Error 9820: Checking LifeKeeper resource "a". Application pool "Api" of IIS site "Shop" on system NODE1 is not in the started state. Current state is "Stopped".`,
		`Information 9810: Watching LifeKeeper resource "a". IIS site "Shop" on system NODE1 failed its checks (1 failed since it was last up): starting local recovery.`,
		`Information 9824: Watching LifeKeeper resource "a". Local recovery started application pool "Api" of IIS site "Shop" on system NODE1, whose state was "Stopped".`,
		`Information 9811: Watching LifeKeeper resource "a". Local recovery of IIS site "Shop" on system NODE1 succeeded.`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("events\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !slices.Equal(host.starts, []string{"Api"}) {
		t.Errorf("pools started %v, want [Api]", host.starts)
	}
	if v := h.series("iiskit_app_pool_state", "tag", "a", "pool", "Api"); v != 1 {
		t.Errorf("iiskit_app_pool_state{a,Api} after the recovery = %v, want 1", v)
	}
	// On the page, the recovery's events name the pool.
	for _, r := range h.d.Status() {
		if !slices.ContainsFunc(r.Events, func(e seenEvent) bool { return e.ID == 9824 && e.Pool == "Api" }) {
			t.Errorf("status events of %s lack 9824 for Api: %+v", r.Tag, r.Events)
		}
	}
}

// stuckPools is a host whose pool reads never return, whatever their deadline (a COM call
// that hangs): the daemon's own pool reading must not wait for it beyond its bound.
type stuckPools struct {
	*poolHost
	release chan struct{}
}

func (h stuckPools) PoolState(context.Context, string) (platform.PoolState, error) {
	<-h.release
	return platform.PoolStarted, nil
}

// TestReadPoolsIsBounded: with the pool reads hung, readPools gives up after its limit
// (the pools are "not read", no series, grey on the page).
func TestReadPoolsIsBounded(t *testing.T) {
	host := stuckPools{poolHost: newPoolHost(), release: make(chan struct{})}
	defer close(host.release)
	view := newTickView(host, nil)
	res := resource.Resource{Tag: "a", Site: "Shop", Type: resource.W3}
	done := make(chan []poolSeen, 1)
	go func() { done <- readPools(context.Background(), view, res, 50*time.Millisecond) }()
	select {
	case got := <-done:
		if len(got) != 2 || !got[0].Unread || !got[1].Unread {
			t.Errorf("pools %+v, want both not read", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("readPools still waiting 5 s after its 50 ms limit")
	}
}
