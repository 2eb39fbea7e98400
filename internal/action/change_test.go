package action

import (
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/event"
	p "github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

const dws = "Default Web Site"

func withState(st p.SiteState, bs ...resource.Binding) []p.Site {
	return listing(site(dws, 1, st, bs...))
}

func repeat[T any](v T, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// changeCase is one row of the restore, remove and recover tables.
type changeCase struct {
	name   string
	res    resource.Resource
	host   *fakeHost
	opts   Options
	want   []event.ID
	status Status
	calls  map[string]int // call prefix → exact count
	waited time.Duration  // total fake time waited, when checked
	text   string         // fragment of the first event's message
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
			if tc.waited != 0 {
				var sum time.Duration
				for _, w := range hs.clock.Waits() {
					sum += w
				}
				if sum != tc.waited {
					t.Errorf("waited %v in all, want %v (%v)", sum, tc.waited, hs.clock.Waits())
				}
			}
			if tc.text != "" {
				if evs := hs.rec.Events(); len(evs) == 0 || !strings.Contains(evs[0].Message, tc.text) {
					t.Errorf("first event %+v does not contain %q", evs, tc.text)
				}
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
	runChange(t, Restore, []changeCase{
		{name: "R1 site not found → 9414, 9408", host: &fakeHost{states: running, listings: [][]p.Site{listing()}},
			want: []event.ID{9414, 9408}, status: Failure, calls: map[string]int{"ServiceState": 0},
			text: `Restoring LifeKeeper resource "iis-www1". Protected IIS site "Default Web Site" was not found in the current IIS Metadata.`},
		{name: "R1 site without bindings → 9414, 9408", host: &fakeHost{states: running, listings: [][]p.Site{withState(p.SiteStopped)}},
			want: []event.ID{9414, 9408}, status: Failure},
		{name: "R1 listing fails → 9414, 9408", host: &fakeHost{states: running, listings: [][]p.Site{nil}},
			want: []event.ID{9414, 9408}, status: Failure},
		{name: "R2 Running: no start request; R5..R7 → 9407", host: &fakeHost{states: running, listings: [][]p.Site{stopped, stopped, started}},
			want: []event.ID{9407}, status: Success,
			calls: map[string]int{"StartService": 0, "StartSite": 1, "ListSites": 3}},
		{name: "R2 Stopped: started, pending, then Running → 9407", host: &fakeHost{
			states: []p.ServiceState{p.Stopped, p.StartPending, p.StartPending, p.Running}, listings: [][]p.Site{stopped, stopped, started}},
			want: []event.ID{9407}, status: Success, calls: map[string]int{"StartService": 1}, waited: 2 * time.Second},
		{name: "R2 service falls back to Stopped → 9409, 9408", host: &fakeHost{
			states: []p.ServiceState{p.Stopped, p.StartPending, p.Stopped}, listings: [][]p.Site{stopped}},
			want: []event.ID{9409, 9408}, status: Failure,
			text: `IIS Service "W3SVC" servicing LifeKeeper resource "iis-www1" could not be started. Current state is now "STOPPED" on system NODE1.`},
		{name: "R2 service hangs in StartPending until the deadline → 9409, 9408", host: &fakeHost{
			states: []p.ServiceState{p.Stopped, p.StartPending}, listings: [][]p.Site{stopped}},
			want: []event.ID{9409, 9408}, status: Failure, waited: DefaultChangeTimeout, text: `"START_PENDING"`},
		{name: "R2 deadline from --timeout", opts: Options{Timeout: 5 * time.Second, RetryInterval: 2 * time.Second}, host: &fakeHost{
			states: []p.ServiceState{p.Paused}, listings: [][]p.Site{stopped}},
			want: []event.ID{9409, 9408}, status: Failure, waited: 5 * time.Second, text: `"PAUSED"`},
		{name: "R3 site gone after the start → 9420, 9408", host: &fakeHost{states: running, listings: [][]p.Site{stopped, listing()}},
			want: []event.ID{9420, 9408}, status: Failure,
			text: `While restoring resource "iis-www1" an invalid (null) instance number was retrieved from the IIS metabase for site "Default Web Site".`},
		{name: "R4 a started site holds the binding → 9422, 9408", host: &fakeHost{states: running, listings: [][]p.Site{stopped, other(p.SiteStarted, bHTTP2)}},
			want: []event.ID{9422, 9408}, status: Failure, calls: map[string]int{"StartSite": 0},
			text: `IIS Site Default Web Site can not be started because its IP:Port:Header binding (127.0.0.3:8080:www.example.com) is currently in use on site "Intranet".`},
		{name: "R4 host headers compare case-insensitively", host: &fakeHost{states: running, listings: [][]p.Site{stopped, other(p.SiteStarted, mustBinding("http/127.0.0.3:8080:WWW.EXAMPLE.COM"))}},
			want: []event.ID{9422, 9408}, status: Failure},
		{name: "R4 a stopped site with the binding is no conflict", host: &fakeHost{states: running, listings: [][]p.Site{stopped, other(p.SiteStopped, bHTTP2), started}},
			want: []event.ID{9407}, status: Success},
		{name: "R4 another host header on the same IP:Port is no conflict", host: &fakeHost{states: running, listings: [][]p.Site{stopped, other(p.SiteStarted, mustBinding("http/127.0.0.3:8080:intranet")), started}},
			want: []event.ID{9407}, status: Success},
		{name: "R4 the site itself, already started, is no conflict", host: &fakeHost{states: running, listings: [][]p.Site{started}},
			want: []event.ID{9407}, status: Success},
		{name: "R6 site still Stopped after the start → 9706, 9408", host: &fakeHost{states: running, listings: [][]p.Site{stopped}},
			want: []event.ID{9706, 9408}, status: Failure, calls: map[string]int{"ListSites": 3}, text: `Unable to start IIS Site "Default Web Site" on system NODE1`},
		{name: "R6 [ext] Starting is read again until Started → 9407", host: &fakeHost{states: running,
			listings: [][]p.Site{stopped, stopped, withState(p.SiteStarting, bHTTP), withState(p.SiteStarting, bHTTP), started}},
			want: []event.ID{9407}, status: Success, waited: 2 * time.Second},
		{name: "R6 [ext] Starting for 10 reads → 9706, 9408", host: &fakeHost{states: running,
			listings: [][]p.Site{stopped, stopped, withState(p.SiteStarting, bHTTP)}},
			want: []event.ID{9706, 9408}, status: Failure, calls: map[string]int{"ListSites": 2 + 10}, waited: 9 * time.Second},
		{name: "R6 site vanished after the start → 9706, 9408", host: &fakeHost{states: running, listings: [][]p.Site{stopped, stopped, listing()}},
			want: []event.ID{9706, 9408}, status: Failure},
	})
}

func TestRemove(t *testing.T) {
	started := withState(p.SiteStarted, bHTTP)
	stopped := withState(p.SiteStopped, bHTTP)
	tests := []changeCase{
		{name: "M1 Running; M2..M5 → 9558", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{started, stopped}},
			want: []event.ID{9558}, status: Success, calls: map[string]int{"StopSite": 1, "StartService": 0},
			text: "Remove IIS resource iis-www1 End: Successful"},
		{name: "M1 Stopped: nothing to stop → 9558", host: &fakeHost{states: []p.ServiceState{p.Stopped}},
			want: []event.ID{9558}, status: Success, calls: map[string]int{"ListSites": 0, "StopSite": 0}},
		{name: "M1 StopPending: nothing to stop → 9558", host: &fakeHost{states: []p.ServiceState{p.StopPending}},
			want: []event.ID{9558}, status: Success, calls: map[string]int{"ListSites": 0}},
		{name: "M1 StartPending: started first, then M2 → 9558", host: &fakeHost{
			states: []p.ServiceState{p.StartPending, p.StartPending, p.Running}, listings: [][]p.Site{started, stopped}},
			want: []event.ID{9558}, status: Success, calls: map[string]int{"StartService": 1, "StopSite": 1}, waited: time.Second},
		{name: "M1 StartPending that never starts → 9557, exit 1", host: &fakeHost{
			states: []p.ServiceState{p.StartPending, p.Stopped}},
			want: []event.ID{9557}, status: Failure, calls: map[string]int{"StopSite": 0},
			text: `Removing resource "iis-www1". IIS Service "W3SVC" could not be started before stopping site "Default Web Site". Current service state on system NODE1 is now "STOPPED".`},
		{name: "M1 state unreadable → 9557, exit 1", host: &fakeHost{states: []p.ServiceState{0}},
			want: []event.ID{9557}, status: Failure, text: `"UNKNOWN"`},
		{name: "M2 no such site → 9563 warning, 9558", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{listing()}},
			want: []event.ID{9563, 9558}, status: Success, calls: map[string]int{"StopSite": 0},
			text: `Removing LifeKeeper resource "iis-www1". The IIS metabase index for protected site "Default Web Site" is null (invalid) on system NODE1.`},
		{name: "M2 listing fails → 9556, exit 1", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{nil}},
			want: []event.ID{9556}, status: Failure},
		{name: "M4 stopped at the third read → 9558", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{started, started, started, stopped}},
			want: []event.ID{9558}, status: Success, waited: 2 * time.Second},
		{name: "M4 never stops: 10 reads → 9556, exit 1", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{started}},
			want: []event.ID{9556}, status: Failure, calls: map[string]int{"ListSites": 1 + 10}, waited: 9 * time.Second,
			text: `Unable to stop IIS site associated with LifeKeeper tag "iis-www1" on system NODE1`},
		{name: "M4 retry interval from the options", opts: Options{RetryInterval: 250 * time.Millisecond}, host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{started}},
			want: []event.ID{9556}, status: Failure, waited: 9 * 250 * time.Millisecond},
		{name: "M4 site gone while stopping → 9558", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{started, listing()}},
			want: []event.ID{9558}, status: Success},
	}
	for _, st := range []p.ServiceState{p.ContinuePending, p.PausePending, p.Paused} {
		tests = append(tests, changeCase{name: "M1 " + st.String() + " is treated as Running → 9558",
			host: &fakeHost{states: []p.ServiceState{st}, listings: [][]p.Site{started, stopped}},
			want: []event.ID{9558}, status: Success, calls: map[string]int{"StopSite": 1, "StartService": 0}})
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
			want: []event.ID{9607}, status: Failure,
			text: `IIS Service "W3SVC" servicing LifeKeeper resource "iis-www1" could not be started. Current state is now "STOPPED" on system NODE1.`},
		{name: "C2 no such site → 9609", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{listing()}},
			want: []event.ID{9609}, status: Failure,
			text: `While recovering resource "iis-www1" an invalid (null) instance number was retrieved from the IIS metabase for site "Default Web Site". The site can not be started.`},
		{name: "C3 Started at the third read → success", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{stopped, stopped, started}},
			want: nil, status: Success, waited: 2 * time.Second, calls: map[string]int{"StartSite": 0}},
		{name: "C3 never started: 10 reads → 9606", host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{stopped}},
			want: []event.ID{9606}, status: Failure, calls: map[string]int{"ListSites": 10}, waited: 9 * time.Second,
			text: `Recovering resource "iis-www1". Unable to start IIS site "Default Web Site" on system "NODE1".`},
		{name: "C4 [ext] recover_starts_site starts the site once", res: startsSite,
			host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{stopped, started}},
			want: nil, status: Success, calls: map[string]int{"StartSite": 1}},
		{name: "C4 [ext] no start request when already Started", res: startsSite,
			host: &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{started}},
			want: nil, status: Success, calls: map[string]int{"StartSite": 0}},
	})
}
