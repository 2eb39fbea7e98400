package action

import (
	"testing"

	"github.com/iiskit/iiskit/internal/event"
	p "github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

func TestQuickCheck(t *testing.T) {
	started := listing(site(dws, 1, p.SiteStarted, bHTTP))
	in := func(st p.SiteState) [][]p.Site { return [][]p.Site{listing(site(dws, 1, st, bHTTP))} }
	strict := w3(dws)
	strict.Options.StrictSiteState = true
	tests := []struct {
		name   string
		res    resource.Resource
		host   *fakeHost
		want   []string
		status Status
	}{
		{"Q1 service Stopped → 9705", w3(dws), &fakeHost{states: []p.ServiceState{p.Stopped}, listings: [][]p.Site{started}},
			[]string{www(9705, 1)}, Failure},
		{"Q1 service StopPending → 9705", w3(dws), &fakeHost{states: []p.ServiceState{p.StopPending}, listings: [][]p.Site{started}},
			[]string{www(9705, 3)}, Failure},
		{"Q1 service state unreadable → 9705 with code 0", w3(dws), &fakeHost{states: []p.ServiceState{0}, listings: [][]p.Site{started}},
			[]string{www(9705, 0)}, Failure},
		{"Q1 StartPending passes", w3(dws), &fakeHost{states: []p.ServiceState{p.StartPending}, listings: [][]p.Site{started}},
			nil, Success},
		{"Q1 ContinuePending passes", w3(dws), &fakeHost{states: []p.ServiceState{p.ContinuePending}, listings: [][]p.Site{started}},
			nil, Success},
		{"Q1 PausePending passes", w3(dws), &fakeHost{states: []p.ServiceState{p.PausePending}, listings: [][]p.Site{started}},
			nil, Success},
		{"Q1 Paused passes", w3(dws), &fakeHost{states: []p.ServiceState{p.Paused}, listings: [][]p.Site{started}},
			nil, Success},
		{"Q2 no such site → 9707", w3(dws), &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{listing(site("Other", 2, p.SiteStarted, bHTTP))}},
			[]string{www(9707)}, Failure},
		{"Q2 listing fails → 9707", w3(dws), &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{nil}},
			[]string{www(9707)}, Failure},
		{"Q3 site Stopped → 9704", w3(dws), &fakeHost{states: []p.ServiceState{p.Running}, listings: in(p.SiteStopped)},
			[]string{www(9704, "Stopped")}, Failure},
		{"Q3 site Starting passes, as in the original", w3(dws), &fakeHost{states: []p.ServiceState{p.Running}, listings: in(p.SiteStarting)},
			nil, Success},
		{"Q3 site Stopping passes, as in the original", w3(dws), &fakeHost{states: []p.ServiceState{p.Running}, listings: in(p.SiteStopping)},
			nil, Success},
		{"Q3 site Unknown passes, as in the original", w3(dws), &fakeHost{states: []p.ServiceState{p.Running}, listings: in(p.SiteUnknown)},
			nil, Success},
		{"Q3 [ext] strict_site_state: Starting → 9704", strict, &fakeHost{states: []p.ServiceState{p.Running}, listings: in(p.SiteStarting)},
			[]string{www(9704, "Starting")}, Failure},
		{"Q3 [ext] strict_site_state: Stopping → 9704", strict, &fakeHost{states: []p.ServiceState{p.Running}, listings: in(p.SiteStopping)},
			[]string{www(9704, "Stopping")}, Failure},
		{"Q3 [ext] strict_site_state: Unknown → 9704", strict, &fakeHost{states: []p.ServiceState{p.Running}, listings: in(p.SiteUnknown)},
			[]string{www(9704, "Unknown")}, Failure},
		{"Q3 [ext] strict_site_state: Stopped → 9704", strict, &fakeHost{states: []p.ServiceState{p.Running}, listings: in(p.SiteStopped)},
			[]string{www(9704, "Stopped")}, Failure},
		{"Q3 [ext] strict_site_state: Started passes", strict, &fakeHost{states: []p.ServiceState{p.Running}, listings: in(p.SiteStarted)},
			nil, Success},
		{"Q3 site name matched case-insensitively as IIS does", w3(dws), &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{listing(site("DEFAULT WEB SITE", 1, p.SiteStarted, bHTTP))}},
			nil, Success},
		{"Q4 success, no event", w3(dws), &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{started}},
			nil, Success},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hs := newHarness(tc.host)
			if got := hs.run(t, QuickCheck, tc.res); got != tc.status {
				t.Errorf("status = %v, want %v", got, tc.status)
			}
			checkEvents(t, hs.rec, tc.want...)
			// Q2 and Q3 read one listing.
			if n := tc.host.count("ListSites"); n > 1 {
				t.Errorf("quickcheck listed sites %d times, want at most 1", n)
			}
		})
	}
}

func TestQuickCheckEventFields(t *testing.T) {
	hs := newHarness(&fakeHost{states: []p.ServiceState{p.Stopped}})
	res := w3(`x"; Remove-Item C:\ -Recurse; "$SYS`)
	hs.run(t, QuickCheck, res)
	evs := hs.rec.Events()
	if len(evs) != 1 {
		t.Fatalf("events = %v", evs)
	}
	e := evs[0]
	want := `Checking LifeKeeper resource "iis-www1". IIS Service "W3SVC" on system NODE1 is not in the started state as required for site "x"; Remove-Item C:\ -Recurse; "$SYS". StateCode = 1.`
	if e.Message != want {
		t.Errorf("message\n got %s\nwant %s", e.Message, want)
	}
	if e.Severity != event.Error || e.Action != "quickcheck" || e.Tag != "iis-www1" || !e.Time.Equal(epoch) {
		t.Errorf("event = %+v", e)
	}
}
