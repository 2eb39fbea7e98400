package action

import (
	"strings"
	"testing"

	"github.com/iiskit/iiskit/internal/event"
	p "github.com/iiskit/iiskit/internal/platform"
)

func TestQuickCheck(t *testing.T) {
	started := listing(site("Default Web Site", 1, p.SiteStarted, bHTTP))
	tests := []struct {
		name   string
		host   *fakeHost
		want   []event.ID
		status Status
		text   string // a fragment of the last event's message
	}{
		{"Q1 service Stopped → 9705", &fakeHost{states: []p.ServiceState{p.Stopped}, listings: [][]p.Site{started}},
			[]event.ID{9705}, Failure, `IIS Service "W3SVC" on system NODE1 is not in the started state as required for site "Default Web Site". StateCode = 1.`},
		{"Q1 service StopPending → 9705", &fakeHost{states: []p.ServiceState{p.StopPending}, listings: [][]p.Site{started}},
			[]event.ID{9705}, Failure, "StateCode = 3."},
		{"Q1 service state unreadable → 9705 with code 0", &fakeHost{states: []p.ServiceState{0}, listings: [][]p.Site{started}},
			[]event.ID{9705}, Failure, "StateCode = 0."},
		{"Q1 StartPending passes", &fakeHost{states: []p.ServiceState{p.StartPending}, listings: [][]p.Site{started}},
			nil, Success, ""},
		{"Q1 Paused passes", &fakeHost{states: []p.ServiceState{p.Paused}, listings: [][]p.Site{started}},
			nil, Success, ""},
		{"Q2 no such site → 9707", &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{listing(site("Other", 2, p.SiteStarted, bHTTP))}},
			[]event.ID{9707}, Failure, `The IIS metabase index for protected site "Default Web Site" is null (invalid) on system NODE1.`},
		{"Q2 listing fails → 9707", &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{nil}},
			[]event.ID{9707}, Failure, ""},
		{"Q3 site Stopped → 9704", &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{listing(site("Default Web Site", 1, p.SiteStopped, bHTTP))}},
			[]event.ID{9704}, Failure, `Current state is "Stopped".`},
		{"Q3 site Starting → 9704", &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{listing(site("Default Web Site", 1, p.SiteStarting, bHTTP))}},
			[]event.ID{9704}, Failure, `Current state is "Starting".`},
		{"Q3 site Unknown → 9704", &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{listing(site("Default Web Site", 1, p.SiteUnknown, bHTTP))}},
			[]event.ID{9704}, Failure, `Current state is "Unknown".`},
		{"Q3 site name matched case-insensitively as IIS does", &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{listing(site("DEFAULT WEB SITE", 1, p.SiteStarted, bHTTP))}},
			nil, Success, ""},
		{"Q4 success, no event", &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{started}},
			nil, Success, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hs := newHarness(tc.host)
			if got := hs.run(t, QuickCheck, w3("Default Web Site")); got != tc.status {
				t.Errorf("status = %v, want %v", got, tc.status)
			}
			checkEvents(t, hs.rec, tc.want...)
			if tc.text != "" {
				evs := hs.rec.Events()
				if msg := evs[len(evs)-1].Message; !strings.Contains(msg, tc.text) {
					t.Errorf("message %q does not contain %q", msg, tc.text)
				}
			}
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
