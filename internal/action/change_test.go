package action

import (
	"errors"
	"fmt"
	"testing"
	"time"

	p "github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

const dws = "Default Web Site"

func withState(st p.SiteState, bs ...resource.Binding) []p.Site {
	return listing(site(dws, 1, st, bs...))
}

// refused is the service manager's outright refusal of a start (disabled, missing).
var refused = fmt.Errorf("start service W3SVC: %w", p.ErrStartRefused)

// changeCase is one row of the restore, remove and recover tables.
type changeCase struct {
	name   string
	res    resource.Resource
	host   *fakeHost
	opts   Options
	want   []string // the whole event list, as checkEvents compares it
	status Status
	calls  map[string]int // call prefix → exact count
	waited time.Duration  // total fake time waited, when checked
	noWait bool           // the action must not wait at all
}

func runChange(t *testing.T, f actionFunc, tests []changeCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hs := newHarness(tc.host)
			hs.opts = tc.opts
			res := tc.res
			if res.Tag == "" {
				res = w3(dws)
			}
			if got := hs.run(t, f, res); got != tc.status {
				t.Errorf("status = %v, want %v", got, tc.status)
			}
			checkEvents(t, hs.rec, tc.want...)
			for prefix, n := range tc.calls {
				if got := tc.host.count(prefix); got != n {
					t.Errorf("%s called %d times, want %d (calls %q)", prefix, got, n, tc.host.calls)
				}
			}
			var sum time.Duration
			for _, w := range hs.clock.Waits() {
				sum += w
			}
			if tc.waited != 0 && sum != tc.waited {
				t.Errorf("waited %v in all, want %v (%v)", sum, tc.waited, hs.clock.Waits())
			}
			if tc.noWait && len(hs.clock.Waits()) != 0 {
				t.Errorf("waited %v, want no wait at all", hs.clock.Waits())
			}
		})
	}
}

func TestRestore(t *testing.T) {
	stopped := withState(p.SiteStopped, bHTTP)
	started := withState(p.SiteStarted, bHTTP)
	running := []p.ServiceState{p.Running}
	other := func(st p.SiteState, b resource.Binding) []p.Site {
		return listing(site(dws, 1, p.SiteStopped, bHTTP, bHTTP2), site("Intranet", 7, st, b))
	}
	failed := www(9408)
	runChange(t, Restore, []changeCase{
		{name: "R1 site not found → 9414, 9408", host: &fakeHost{states: running, listings: [][]p.Site{listing()}},
			want: []string{www(9414), failed}, status: Failure, calls: map[string]int{"ServiceState": 0}},
		{name: "R1 site without bindings → 9414, 9408", host: &fakeHost{states: running, listings: [][]p.Site{withState(p.SiteStopped)}},
			want: []string{www(9414), failed}, status: Failure},
		{name: "R1 listing fails → 9414, 9408", host: &fakeHost{states: running, listings: [][]p.Site{nil}},
			want: []string{www(9414), failed}, status: Failure},
		{name: "R2 Running: no start request; R5..R7 → 9407", host: &fakeHost{states: running, listings: [][]p.Site{stopped, stopped, started}},
			want: []string{www(9407)}, status: Success,
			calls: map[string]int{"StartService": 0, "StartSite": 1, "ListSites": 3}},
		{name: "R2 Stopped: started, pending, then Running → 9407", host: &fakeHost{
			states: []p.ServiceState{p.Stopped, p.StartPending, p.StartPending, p.Running}, listings: [][]p.Site{stopped, stopped, started}},
			want: []string{www(9407)}, status: Success, calls: map[string]int{"StartService": 1}, waited: 2 * time.Second},
		{name: "R2 a start request that fails for another reason: the state is watched anyway → 9407", host: &fakeHost{
			states: []p.ServiceState{p.Stopped, p.StartPending, p.Running}, listings: [][]p.Site{stopped, stopped, started}, startErr: errors.New("RPC server unavailable")},
			want: []string{www(9407)}, status: Success, waited: time.Second},
		{name: "R2 service falls back to Stopped → 9409, 9408", host: &fakeHost{
			states: []p.ServiceState{p.Stopped, p.StartPending, p.Stopped}, listings: [][]p.Site{stopped}},
			want: []string{www(9409, "STOPPED"), failed}, status: Failure},
		{name: "R2 service hangs in StartPending until the deadline → 9409, 9408", host: &fakeHost{
			states: []p.ServiceState{p.Stopped, p.StartPending}, listings: [][]p.Site{stopped}},
			want: []string{www(9409, "START_PENDING"), failed}, status: Failure, waited: DefaultChangeTimeout},
		{name: "R2 [ext] Paused: a continue request, then Running → 9407", host: &fakeHost{
			states: []p.ServiceState{p.Paused, p.ContinuePending, p.Running}, listings: [][]p.Site{stopped, stopped, started}},
			want: []string{www(9407)}, status: Success, calls: map[string]int{"ContinueService": 1, "StartService": 0}, waited: time.Second},
		{name: "R2 [ext] Paused for good: deadline from --timeout → 9409, 9408", opts: Options{Timeout: 5 * time.Second, RetryInterval: 2 * time.Second}, host: &fakeHost{
			states: []p.ServiceState{p.Paused}, listings: [][]p.Site{stopped}},
			want: []string{www(9409, "PAUSED"), failed}, status: Failure, waited: 5 * time.Second,
			calls: map[string]int{"ContinueService": 1, "StartService": 0}},
		{name: "R2 [ext] a start the service manager refuses fails at once → 9409, 9408", host: &fakeHost{
			states: []p.ServiceState{p.Stopped}, listings: [][]p.Site{stopped}, startErr: refused},
			want: []string{www(9409, "STOPPED"), failed}, status: Failure, noWait: true, calls: map[string]int{"ServiceState": 1}},
		{name: "R2 [ext] a continue the service manager refuses fails at once → 9409, 9408", host: &fakeHost{
			states: []p.ServiceState{p.Paused}, listings: [][]p.Site{stopped}, startErr: refused},
			want: []string{www(9409, "PAUSED"), failed}, status: Failure, noWait: true},
		{name: "R3 site gone after the start → 9420, 9408", host: &fakeHost{states: running, listings: [][]p.Site{stopped, listing()}},
			want: []string{www(9420), failed}, status: Failure},
		{name: "R3 listing fails → 9420, 9408", host: &fakeHost{states: running, listings: [][]p.Site{stopped, nil}},
			want: []string{www(9420), failed}, status: Failure, calls: map[string]int{"StartSite": 0}},
		{name: "R4 a started site holds the binding → 9422, 9408", host: &fakeHost{states: running, listings: [][]p.Site{stopped, other(p.SiteStarted, bHTTP2)}},
			want: []string{www(9422, "127.0.0.3:8080:www.example.com", "Intranet"), failed}, status: Failure, calls: map[string]int{"StartSite": 0}},
		{name: "R4 host headers compare case-insensitively", host: &fakeHost{states: running, listings: [][]p.Site{stopped, other(p.SiteStarted, mustBinding("http/127.0.0.3:8080:WWW.EXAMPLE.COM"))}},
			want: []string{www(9422, "127.0.0.3:8080:www.example.com", "Intranet"), failed}, status: Failure},
		{name: "R4 a stopped site with the binding is no conflict", host: &fakeHost{states: running, listings: [][]p.Site{stopped, other(p.SiteStopped, bHTTP2), started}},
			want: []string{www(9407)}, status: Success},
		{name: "R4 another host header on the same IP:Port is no conflict", host: &fakeHost{states: running, listings: [][]p.Site{stopped, other(p.SiteStarted, mustBinding("http/127.0.0.3:8080:intranet")), started}},
			want: []string{www(9407)}, status: Success},
		{name: "R4 the site itself, already started, is no conflict", host: &fakeHost{states: running, listings: [][]p.Site{started}},
			want: []string{www(9407)}, status: Success},
		{name: "R6 site still Stopped after the start → 9706, 9408", host: &fakeHost{states: running, listings: [][]p.Site{stopped}},
			want: []string{www(9706), failed}, status: Failure, calls: map[string]int{"ListSites": 3}, noWait: true},
		{name: "R6 [ext] Starting is read again until Started → 9407", host: &fakeHost{states: running,
			listings: [][]p.Site{stopped, stopped, withState(p.SiteStarting, bHTTP), withState(p.SiteStarting, bHTTP), started}},
			want: []string{www(9407)}, status: Success, waited: 2 * time.Second},
		{name: "R6 [ext] Starting for 10 reads → 9706, 9408", host: &fakeHost{states: running,
			listings: [][]p.Site{stopped, stopped, withState(p.SiteStarting, bHTTP)}},
			want: []string{www(9706), failed}, status: Failure, calls: map[string]int{"ListSites": 2 + 10}, waited: 9 * time.Second},
		{name: "R6 site vanished after the start → 9706, 9408", host: &fakeHost{states: running, listings: [][]p.Site{stopped, stopped, listing()}},
			want: []string{www(9706), failed}, status: Failure},
		{name: "R6 listing fails → 9706, 9408", host: &fakeHost{states: running, listings: [][]p.Site{stopped, stopped, nil}},
			want: []string{www(9706), failed}, status: Failure, noWait: true},
	})
}

func TestRemove(t *testing.T) {
	started := withState(p.SiteStarted, bHTTP)
	stopped := withState(p.SiteStopped, bHTTP)
	done := www(9558)
	tests := []changeCase{
		{name: "M1 Running; M2..M5 → 9558", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{started, stopped}},
			want: []string{done}, status: Success, calls: map[string]int{"StopSite": 1, "StartService": 0}},
		{name: "M1 Stopped: nothing to stop → 9558", host: &fakeHost{states: []p.ServiceState{p.Stopped}},
			want: []string{done}, status: Success, calls: map[string]int{"ListSites": 0, "StopSite": 0}},
		{name: "M1 StopPending: nothing to stop → 9558", host: &fakeHost{states: []p.ServiceState{p.StopPending}},
			want: []string{done}, status: Success, calls: map[string]int{"ListSites": 0}},
		{name: "M1 StartPending: started first, then M2 → 9558", host: &fakeHost{
			states: []p.ServiceState{p.StartPending, p.StartPending, p.Running}, listings: [][]p.Site{started, stopped}},
			want: []string{done}, status: Success, calls: map[string]int{"StartService": 1, "StopSite": 1}, waited: time.Second},
		{name: "M1 [ext] StartPending, then Paused: a continue request, then Running → 9558", host: &fakeHost{
			states: []p.ServiceState{p.StartPending, p.Paused, p.Running}, listings: [][]p.Site{started, stopped}},
			want: []string{done}, status: Success, calls: map[string]int{"StartService": 1, "ContinueService": 1, "StopSite": 1}, waited: time.Second},
		{name: "M1 StartPending that never starts → 9557, exit 1", host: &fakeHost{
			states: []p.ServiceState{p.StartPending, p.Stopped}},
			want: []string{www(9557, "STOPPED")}, status: Failure, calls: map[string]int{"StopSite": 0}},
		{name: "M1 [ext] StartPending and the start is refused → 9557 at once", host: &fakeHost{
			states: []p.ServiceState{p.StartPending}, startErr: refused},
			want: []string{www(9557, "START_PENDING")}, status: Failure, noWait: true, calls: map[string]int{"StopSite": 0}},
		{name: "M1 state unreadable → 9557, exit 1", host: &fakeHost{states: []p.ServiceState{0}},
			want: []string{www(9557, "UNKNOWN")}, status: Failure},
		{name: "M2 no such site → 9563 warning, 9558", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{listing()}},
			want: []string{www(9563), done}, status: Success, calls: map[string]int{"StopSite": 0}},
		{name: "M2 [ext] listing fails → 9556, exit 1", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{nil}},
			want: []string{www(9556)}, status: Failure, calls: map[string]int{"StopSite": 0}},
		{name: "M4 stopped at the third read → 9558", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{started, started, started, stopped}},
			want: []string{done}, status: Success, waited: 2 * time.Second},
		{name: "M4 a listing that fails mid-loop is read again → 9558", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{started, started, nil, stopped}},
			want: []string{done}, status: Success, waited: 2 * time.Second, calls: map[string]int{"ListSites": 4}},
		{name: "M4 listings that keep failing: 10 reads → 9556, exit 1", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{started, nil}},
			want: []string{www(9556)}, status: Failure, calls: map[string]int{"ListSites": 1 + 10}, waited: 9 * time.Second},
		{name: "M4 never stops: 10 reads → 9556, exit 1", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{started}},
			want: []string{www(9556)}, status: Failure, calls: map[string]int{"ListSites": 1 + 10}, waited: 9 * time.Second},
		{name: "M4 retry interval from the options", opts: Options{RetryInterval: 250 * time.Millisecond}, host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{started}},
			want: []string{www(9556)}, status: Failure, waited: 9 * 250 * time.Millisecond},
		{name: "M4 site gone while stopping → 9558", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{started, listing()}},
			want: []string{done}, status: Success},
	}
	for _, st := range []p.ServiceState{p.ContinuePending, p.PausePending, p.Paused} {
		tests = append(tests, changeCase{name: "M1 " + st.String() + " is treated as Running → 9558",
			host: &fakeHost{states: []p.ServiceState{st}, listings: [][]p.Site{started, stopped}},
			want: []string{done}, status: Success, calls: map[string]int{"StopSite": 1, "StartService": 0, "ContinueService": 0}})
	}
	runChange(t, Remove, tests)
}

func TestRecover(t *testing.T) {
	started := withState(p.SiteStarted, bHTTP)
	stopped := withState(p.SiteStopped, bHTTP)
	startsSite := w3(dws)
	startsSite.Options.RecoverStartsSite = true
	runChange(t, Recover, []changeCase{
		{name: "C1 Running, C3 Started → success, no event", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{started}},
			want: nil, status: Success, calls: map[string]int{"StartService": 0, "StartSite": 0}},
		{name: "C1 Stopped: started, then C3 Started → success", host: &fakeHost{
			states: []p.ServiceState{p.Stopped, p.StartPending, p.Running}, listings: [][]p.Site{started}},
			want: nil, status: Success, calls: map[string]int{"StartService": 1}},
		{name: "C1 service cannot start → 9607", host: &fakeHost{states: []p.ServiceState{p.Stopped, p.StartPending, p.Stopped}},
			want: []string{www(9607, "STOPPED")}, status: Failure},
		{name: "C1 service stuck in StartPending until the deadline → 9607 START_PENDING", host: &fakeHost{states: []p.ServiceState{p.Stopped, p.StartPending}},
			want: []string{www(9607, "START_PENDING")}, status: Failure, waited: DefaultChangeTimeout, calls: map[string]int{"ListSites": 0}},
		{name: "C1 [ext] Paused: a continue request, then Running → success", host: &fakeHost{
			states: []p.ServiceState{p.Paused, p.ContinuePending, p.Running}, listings: [][]p.Site{started}},
			want: nil, status: Success, calls: map[string]int{"ContinueService": 1, "StartService": 0}},
		{name: "C1 [ext] a start the service manager refuses fails at once → 9607", host: &fakeHost{
			states: []p.ServiceState{p.Stopped}, startErr: refused},
			want: []string{www(9607, "STOPPED")}, status: Failure, noWait: true, calls: map[string]int{"ListSites": 0}},
		{name: "C2 no such site → 9609", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{listing()}},
			want: []string{www(9609)}, status: Failure},
		{name: "C2 listing fails → 9609", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{nil}},
			want: []string{www(9609)}, status: Failure, noWait: true, calls: map[string]int{"ListSites": 1}},
		{name: "C3 Started at the third read → success", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{stopped, stopped, started}},
			want: nil, status: Success, waited: 2 * time.Second, calls: map[string]int{"StartSite": 0}},
		{name: "C3 a listing that fails mid-loop is read again → success", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{stopped, nil, started}},
			want: nil, status: Success, waited: 2 * time.Second},
		{name: "C3 never started: 10 reads → 9606", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{stopped}},
			want: []string{www(9606)}, status: Failure, calls: map[string]int{"ListSites": 10}, waited: 9 * time.Second},
		{name: "C4 [ext] recover_starts_site starts the site once", res: startsSite,
			host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{stopped, stopped, started}},
			want: nil, status: Success, calls: map[string]int{"StartSite": 1}},
		{name: "C4 [ext] no start request when already Started", res: startsSite,
			host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{started}},
			want: nil, status: Success, calls: map[string]int{"StartSite": 0}},
	})
}
