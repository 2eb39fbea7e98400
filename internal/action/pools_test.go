package action

import (
	"fmt"
	"strings"
	"testing"
	"time"

	p "github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
)

// The openings SPEC P gives 9821 in each action: the opening of that action's other events.
const (
	checking   = `Checking LifeKeeper resource "iis-www1".`
	restoring  = `Restoring LifeKeeper resource "iis-www1".`
	recovering = `Recovering resource "iis-www1".`
)

// pooled is the default web site in state st whose applications run in pools.
func pooled(st p.SiteState, pools ...string) []p.Site {
	s := site(dws, 1, st, bHTTP)
	s.Pools = pools
	return listing(s)
}

// poolStates scripts the pools' successive PoolState answers; -1 is a failed read.
func poolStates(kv ...any) map[string][]p.PoolState {
	m := map[string][]p.PoolState{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1].([]p.PoolState)
	}
	return m
}

func states(s ...p.PoolState) []p.PoolState { return s }

// withPools is the W3 resource of the default web site with app_pools set.
func withPools(names ...string) resource.Resource {
	r := w3(dws)
	r.Options.AppPools = names
	if r.Options.AppPools == nil {
		r.Options.AppPools = []string{}
	}
	return r
}

func TestP1QuickCheckPools(t *testing.T) {
	running := []p.ServiceState{p.Running}
	strict := w3(dws)
	strict.Options.StrictSiteState = true
	tests := []struct {
		name   string
		res    resource.Resource
		host   *fakeHost
		want   []string
		status Status
		reads  int // PoolState calls
	}{
		{"P1 pools Started pass", w3(dws), &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop", "Api")},
			pools: poolStates("Shop", states(p.PoolStarted), "Api", states(p.PoolStarted))}, nil, Success, 2},
		{"P1 root pool Stopped → 9820", w3(dws), &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop", "Api")},
			pools: poolStates("Shop", states(p.PoolStopped), "Api", states(p.PoolStopped))}, []string{www(9820, "Shop", "Stopped")}, Failure, 1},
		{"P1 second pool Stopped → 9820", w3(dws), &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop", "Api")},
			pools: poolStates("Shop", states(p.PoolStarted), "Api", states(p.PoolStopped))}, []string{www(9820, "Api", "Stopped")}, Failure, 2},
		{"P1 Starting passes (in transition)", w3(dws), &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop")},
			pools: poolStates("Shop", states(p.PoolStarting))}, nil, Success, 1},
		{"P1 Stopping passes (in transition)", w3(dws), &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop")},
			pools: poolStates("Shop", states(p.PoolStopping))}, nil, Success, 1},
		{"P1 Unknown passes (in transition)", w3(dws), &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop")},
			pools: poolStates("Shop", states(p.PoolUnknown))}, nil, Success, 1},
		{"P1 strict_site_state: Starting → 9820", strict, &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop")},
			pools: poolStates("Shop", states(p.PoolStarting))}, []string{www(9820, "Shop", "Starting")}, Failure, 1},
		{"P1 strict_site_state: Unknown → 9820", strict, &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop")},
			pools: poolStates("Shop", states(p.PoolUnknown))}, []string{www(9820, "Shop", "Unknown")}, Failure, 1},
		{"P1 a pool named in app_pools that does not exist → 9821", withPools("Gone"), &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop")},
			pools: poolStates("Shop", states(p.PoolStarted))}, []string{www(9821, checking, "Gone")}, Failure, 1},
		{"P1 a pool the site's application names that does not exist → 9821", w3(dws), &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Gone")}},
			[]string{www(9821, checking, "Gone")}, Failure, 1},
		{"P1 a pool read that fails → 9707, never success", w3(dws), &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop")},
			pools: poolStates("Shop", states(-1))}, []string{www(9707)}, Failure, 1},
		{"P1 app_pools names the pools instead of the listing's", withPools("Shop"), &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop", "Api")},
			pools: poolStates("Shop", states(p.PoolStarted), "Api", states(p.PoolStopped))}, nil, Success, 1},
		{"P1 app_pools = [] turns the rules off", withPools(), &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop")},
			pools: poolStates("Shop", states(p.PoolStopped))}, nil, Success, 0},
		{"P1 comes after Q3: a Stopped site gives 9704 only", w3(dws), &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStopped, "Shop")},
			pools: poolStates("Shop", states(p.PoolStopped))}, []string{www(9704, "Stopped")}, Failure, 0},
		{"P1 a site without pools (a listing that cannot tell) passes", w3(dws), &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted)}},
			nil, Success, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hs := newHarness(tc.host)
			if got := hs.run(t, QuickCheck, tc.res); got != tc.status {
				t.Errorf("status = %v, want %v", got, tc.status)
			}
			checkEvents(t, hs.rec, tc.want...)
			if n := tc.host.count("PoolState"); n != tc.reads {
				t.Errorf("PoolState called %d times, want %d (%q)", n, tc.reads, tc.host.calls)
			}
			if n := tc.host.count("StartPool"); n != 0 {
				t.Errorf("quickcheck asked to start a pool (%q)", tc.host.calls)
			}
		})
	}
}

// TestP1OnlyW3: an FTP resource reads no pool, whatever its listing says.
func TestP1OnlyW3(t *testing.T) {
	s := site(dws, 1, p.SiteStarted, bFTP)
	s.Pools = []string{"Shop"}
	h := &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{listing(s)}, pools: poolStates("Shop", states(p.PoolStopped))}
	hs := newHarness(h)
	if got := hs.run(t, QuickCheck, resource.Resource{Tag: "iis-ftp1", Site: dws, Type: resource.FTP}); got != Success {
		t.Errorf("status = %v", got)
	}
	checkEvents(t, hs.rec)
	if n := h.count("PoolState"); n != 0 {
		t.Errorf("an FTP check read pools: %q", h.calls)
	}
}

// TestP1DeepCheckRunsP1: deepcheck's D1 is quickcheck, P1 included: a Stopped pool fails
// it with 9820 before any probe.
func TestP1DeepCheckRunsP1(t *testing.T) {
	h := &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{pooled(p.SiteStarted, "Shop")}, pools: poolStates("Shop", states(p.PoolStopped))}
	hs := newHarness(h)
	hs.prober.http = []probe.Result{{Code: probe.OK}}
	if got := hs.run(t, DeepCheck, w3(dws)); got != Failure {
		t.Errorf("status = %v", got)
	}
	checkEvents(t, hs.rec, www(9820, "Shop", "Stopped"))
	if len(hs.prober.targets) != 0 {
		t.Errorf("probed %q after P1 failed", hs.prober.targets)
	}
}

func TestP2RestorePools(t *testing.T) {
	running := []p.ServiceState{p.Running}
	stopped := func(pools ...string) [][]p.Site {
		return [][]p.Site{pooled(p.SiteStopped, pools...), pooled(p.SiteStopped, pools...), pooled(p.SiteStarted, pools...)}
	}
	failed := www(9408)
	runChange(t, Restore, []changeCase{
		{name: "P2 a Stopped pool is started before the site → 9407", host: &fakeHost{states: running, listings: stopped("Shop"),
			pools: poolStates("Shop", states(p.PoolStopped, p.PoolStarted))},
			want: []string{www(9407)}, status: Success, calls: map[string]int{"StartPool Shop": 1, "PoolState": 2, "StartSite": 1}, noWait: true},
		{name: "P2 a Started pool is left alone", host: &fakeHost{states: running, listings: stopped("Shop"),
			pools: poolStates("Shop", states(p.PoolStarted))},
			want: []string{www(9407)}, status: Success, calls: map[string]int{"StartPool": 0, "PoolState": 1, "StartSite": 1}},
		{name: "P2 a pool that stays Stopped → 9822, 9408, the site is not started", host: &fakeHost{states: running, listings: stopped("Shop"),
			pools: poolStates("Shop", states(p.PoolStopped))},
			want: []string{www(9822, "Shop", "Stopped"), failed}, status: Failure, calls: map[string]int{"StartPool": 1, "PoolState": 2, "StartSite": 0}, noWait: true},
		{name: "P2 Starting is read again until Started (fake clock) → 9407", host: &fakeHost{states: running, listings: stopped("Shop"),
			pools: poolStates("Shop", states(p.PoolStopped, p.PoolStarting, p.PoolStarting, p.PoolStarted))},
			want: []string{www(9407)}, status: Success, calls: map[string]int{"StartPool": 1, "PoolState": 4, "StartSite": 1}, waited: 2 * time.Second},
		{name: "P2 Starting for 10 reads → 9822 Starting, 9408", host: &fakeHost{states: running, listings: stopped("Shop"),
			pools: poolStates("Shop", states(p.PoolStopped, p.PoolStarting))},
			want: []string{www(9822, "Shop", "Starting"), failed}, status: Failure, calls: map[string]int{"StartPool": 1, "PoolState": 11, "StartSite": 0}, waited: 9 * time.Second},
		{name: "P2 Starting is read at the configured interval and count", opts: Options{RetryInterval: 250 * time.Millisecond, Reads: 3},
			host: &fakeHost{states: running, listings: stopped("Shop"), pools: poolStates("Shop", states(p.PoolStarting))},
			want: []string{www(9822, "Shop", "Starting"), failed}, status: Failure, calls: map[string]int{"StartPool": 1, "PoolState": 4}, waited: 500 * time.Millisecond},
		{name: "P2 a missing pool → 9821, 9408", res: withPools("Gone"), host: &fakeHost{states: running, listings: stopped("Shop"),
			pools: poolStates("Shop", states(p.PoolStarted))},
			want: []string{www(9821, restoring, "Gone"), failed}, status: Failure, calls: map[string]int{"StartPool": 0, "StartSite": 0}},
		{name: "P2 a pool read that fails → 9420, 9408", host: &fakeHost{states: running, listings: stopped("Shop"),
			pools: poolStates("Shop", states(-1))},
			want: []string{www(9420), failed}, status: Failure, calls: map[string]int{"StartPool": 0, "StartSite": 0}},
		{name: "P2 a pool read after the start request that fails → 9420, 9408", host: &fakeHost{states: running, listings: stopped("Shop"),
			pools: poolStates("Shop", states(p.PoolStopped, -1))},
			want: []string{www(9420), failed}, status: Failure, calls: map[string]int{"StartPool": 1, "StartSite": 0}},
		{name: "P2 each pool in turn, root first", host: &fakeHost{states: running, listings: stopped("Shop", "Api"),
			pools: poolStates("Shop", states(p.PoolStopped, p.PoolStarted), "Api", states(p.PoolStopped, p.PoolStopped))},
			want: []string{www(9822, "Api", "Stopped"), failed}, status: Failure, calls: map[string]int{"StartPool Shop": 1, "StartPool Api": 1, "StartSite": 0}},
		{name: "P2 app_pools = [] turns it off", res: withPools(), host: &fakeHost{states: running, listings: stopped("Shop"),
			pools: poolStates("Shop", states(p.PoolStopped))},
			want: []string{www(9407)}, status: Success, calls: map[string]int{"PoolState": 0, "StartPool": 0, "StartSite": 1}},
	})
}

// TestP2PoolBeforeSite: the pool's start request comes after R4 and before R5.
func TestP2PoolBeforeSite(t *testing.T) {
	h := &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{pooled(p.SiteStopped, "Shop"), pooled(p.SiteStopped, "Shop"), pooled(p.SiteStarted, "Shop")},
		pools: poolStates("Shop", states(p.PoolStopped, p.PoolStarted))}
	hs := newHarness(h)
	hs.run(t, Restore, w3(dws))
	got := strings.Join(h.calls, "|")
	want := "ListSites W3|ServiceState W3SVC|ListSites W3|PoolState Shop|StartPool Shop|PoolState Shop|StartSite Default Web Site|ListSites W3"
	if got != want {
		t.Errorf("calls\n%s\nwant\n%s", got, want)
	}
}

func TestP3RecoverPools(t *testing.T) {
	running := []p.ServiceState{p.Running}
	runChange(t, Recover, []changeCase{
		{name: "P3 a Stopped pool is started, then C3 → success", host: &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop")},
			pools: poolStates("Shop", states(p.PoolStopped, p.PoolStarted))},
			want: nil, status: Success, calls: map[string]int{"StartPool Shop": 1, "PoolState": 2}, noWait: true},
		{name: "P3 a pool that stays Stopped → 9823", host: &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop")},
			pools: poolStates("Shop", states(p.PoolStopped))},
			want: []string{www(9823, "Shop", "Stopped")}, status: Failure, calls: map[string]int{"StartPool": 1, "ListSites": 1}},
		{name: "P3 Starting for 10 reads → 9823 Starting", host: &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop")},
			pools: poolStates("Shop", states(p.PoolStopped, p.PoolStarting))},
			want: []string{www(9823, "Shop", "Starting")}, status: Failure, calls: map[string]int{"PoolState": 11}, waited: 9 * time.Second},
		{name: "P3 Starting, then Started → success", host: &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop")},
			pools: poolStates("Shop", states(p.PoolStopped, p.PoolStarting, p.PoolStarted))},
			want: nil, status: Success, calls: map[string]int{"PoolState": 3}, waited: time.Second},
		{name: "P3 a missing pool → 9821", res: withPools("Gone"), host: &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop")}},
			want: []string{www(9821, recovering, "Gone")}, status: Failure},
		{name: "P3 a pool read that fails → 9609", host: &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop")},
			pools: poolStates("Shop", states(-1))},
			want: []string{www(9609)}, status: Failure},
		{name: "P3 then C3: a pool started, the site still Stopped → 9606", host: &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStopped, "Shop")},
			pools: poolStates("Shop", states(p.PoolStopped, p.PoolStarted))},
			want: []string{www(9606)}, status: Failure, calls: map[string]int{"StartPool": 1}},
		{name: "P3 after C2: no site → 9609, no pool read", host: &fakeHost{states: running, listings: [][]p.Site{listing()},
			pools: poolStates("Shop", states(p.PoolStopped))},
			want: []string{www(9609)}, status: Failure, calls: map[string]int{"PoolState": 0}},
	})
}

// TestPRemoveNeverTouchesPools: pools are shared between sites; remove stops the site only.
func TestPRemoveNeverTouchesPools(t *testing.T) {
	h := &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{pooled(p.SiteStarted, "Shop"), pooled(p.SiteStopped, "Shop")},
		pools: poolStates("Shop", states(p.PoolStarted))}
	hs := newHarness(h)
	if got := hs.run(t, Remove, w3(dws)); got != Success {
		t.Errorf("status = %v", got)
	}
	checkEvents(t, hs.rec, www(9558))
	if n := h.count("PoolState") + h.count("StartPool"); n != 0 {
		t.Errorf("remove touched a pool: %q", h.calls)
	}
}

// TestPOutcomes: the typed outcome of each P rule's failure, the cause written out here:
// a stopped or missing pool is a result about the site; a pool read that fails is a
// host that could not be asked, whatever event the step gives for it.
func TestPOutcomes(t *testing.T) {
	running := []p.ServiceState{p.Running}
	stopped := [][]p.Site{pooled(p.SiteStopped, "Shop"), pooled(p.SiteStopped, "Shop")}
	for _, tc := range []struct {
		name string
		f    actionFunc
		res  resource.Resource
		host *fakeHost
		want string // cause, step, pool, pool state
	}{
		{"P1 stopped", QuickCheck, w3(dws), &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop")}, pools: poolStates("Shop", states(p.PoolStopped))},
			"pool-not-started P1 Shop Stopped"},
		{"P1 missing", QuickCheck, withPools("Gone"), &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted)}},
			"pool-absent P1 Gone Starting"},
		{"P1 read fails", QuickCheck, w3(dws), &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop")}, pools: poolStates("Shop", states(-1))},
			"host-unreachable P1  Starting"},
		{"P2 does not start", Restore, w3(dws), &fakeHost{states: running, listings: stopped, pools: poolStates("Shop", states(p.PoolStopped))},
			"pool-not-started P2 Shop Stopped"},
		{"P2 read fails", Restore, w3(dws), &fakeHost{states: running, listings: stopped, pools: poolStates("Shop", states(-1))},
			"host-unreachable P2  Starting"},
		{"P3 still Starting", Recover, w3(dws), &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop")}, pools: poolStates("Shop", states(p.PoolStopped, p.PoolStarting))},
			"pool-not-started P3 Shop Starting"},
		{"P3 missing", Recover, withPools("Gone"), &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted)}},
			"pool-absent P3 Gone Starting"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hs := newHarness(tc.host)
			o := hs.outcome(t, tc.f, tc.res)
			got := strings.Join([]string{o.Cause.String(), o.Step, o.Pool, o.PoolState.String()}, " ")
			if o.Status != Failure || got != tc.want {
				t.Errorf("outcome %v %q, want failure %q (%s)", o.Status, got, tc.want, o.Why())
			}
			// The deciding event carries the cause in words; restore's 9408 repeats it.
			events := hs.rec.Events()
			if len(events) == 0 || events[0].Cause != o.Why() || o.Event != strings.Join(strings.Fields(events[0].Message), " ") {
				t.Errorf("deciding event %+v, outcome %+v", events, o)
			}
		})
	}
}

// TestP3PoolsStarted: the outcome names each pool P2/P3 started and the state it was in,
// whatever the action's result (the watch daemon reports them with its recovery, SPEC
// P3); a pool already Started, or one that did not start, is not among them.
func TestP3PoolsStarted(t *testing.T) {
	running := []p.ServiceState{p.Running}
	two := listing(func() p.Site { s := site(dws, 1, p.SiteStarted, bHTTP); s.Pools = []string{"Shop", "Api"}; return s }())
	for _, tc := range []struct {
		name string
		f    actionFunc
		host *fakeHost
		want string
	}{
		{"P3 one stopped, one started", Recover, &fakeHost{states: running, listings: [][]p.Site{two},
			pools: poolStates("Shop", states(p.PoolStopped, p.PoolStarted), "Api", states(p.PoolStarted))}, "[{Shop Stopped}]"},
		{"P3 both: Starting then Started, Stopped then Started", Recover, &fakeHost{states: running, listings: [][]p.Site{two},
			pools: poolStates("Shop", states(p.PoolStarting, p.PoolStarted), "Api", states(p.PoolStopped, p.PoolStarted))}, "[{Shop Starting} {Api Stopped}]"},
		{"P3 the first started, the second does not start (9823)", Recover, &fakeHost{states: running, listings: [][]p.Site{two},
			pools: poolStates("Shop", states(p.PoolStopped, p.PoolStarted), "Api", states(p.PoolStopped))}, "[{Shop Stopped}]"},
		{"P3 a pool started, the site then not (9606)", Recover, &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStopped, "Shop")},
			pools: poolStates("Shop", states(p.PoolStopped, p.PoolStarted))}, "[{Shop Stopped}]"},
		{"P3 nothing to start", Recover, &fakeHost{states: running, listings: [][]p.Site{two},
			pools: poolStates("Shop", states(p.PoolStarted), "Api", states(p.PoolStarted))}, "[]"},
		{"P2 started before the site", Restore, &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStopped, "Shop"), pooled(p.SiteStopped, "Shop"), pooled(p.SiteStarted, "Shop")},
			pools: poolStates("Shop", states(p.PoolStopped, p.PoolStarted))}, "[{Shop Stopped}]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := newHarness(tc.host).outcome(t, tc.f, w3(dws))
			if got := fmt.Sprint(o.PoolsStarted); got != tc.want {
				t.Errorf("PoolsStarted %s, want %s (outcome %v %s)", got, tc.want, o.Status, o.Why())
			}
		})
	}
}

// TestOutcomeSeen: the outcome carries the last state the action read of the site and of
// each pool it reached, and nothing it did not read (the Nagios plugin's performance data).
func TestOutcomeSeen(t *testing.T) {
	running := []p.ServiceState{p.Running}
	for _, tc := range []struct {
		name string
		host *fakeHost
		want Seen
	}{
		{"site and both pools read", &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop", "Api")},
			pools: poolStates("Shop", states(p.PoolStarted), "Api", states(p.PoolStopping))},
			Seen{Site: true, SiteState: p.SiteStarted, Pools: []PoolSeen{{"Shop", p.PoolStarted}, {"Api", p.PoolStopping}}}},
		{"P1 stops at the stopped pool: the next is not read", &fakeHost{states: running, listings: [][]p.Site{pooled(p.SiteStarted, "Shop", "Api")},
			pools: poolStates("Shop", states(p.PoolStopped), "Api", states(p.PoolStarted))},
			Seen{Site: true, SiteState: p.SiteStarted, Pools: []PoolSeen{{"Shop", p.PoolStopped}}}},
		{"Q1 fails: nothing read", &fakeHost{states: []p.ServiceState{p.Stopped}, listings: [][]p.Site{pooled(p.SiteStarted, "Shop")},
			pools: poolStates("Shop", states(p.PoolStarted))}, Seen{}},
		{"site absent", &fakeHost{states: running, listings: [][]p.Site{nil}}, Seen{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := newHarness(tc.host).outcome(t, QuickCheck, w3(dws))
			if fmt.Sprint(o.Seen) != fmt.Sprint(tc.want) {
				t.Errorf("Seen = %+v, want %+v", o.Seen, tc.want)
			}
		})
	}
}
