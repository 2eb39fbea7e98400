package event

import (
	"testing"
	"time"
)

// TestEventCarriesReportedStates: an event whose text reports a service or site state
// carries it as a field too, so a program decides on it without parsing the text (a
// site name may hold any words); other events carry none.
func TestEventCarriesReportedStates(t *testing.T) {
	f := Fields{Tag: "t", Site: `Current state is "Stopped".`, System: "N", ServiceName: "W3SVC",
		ServiceCode: 4, ServiceDesc: "RUNNING", SiteState: "Starting", SiteType: "W3 site"}
	for _, tc := range []struct {
		id            ID
		service, site string
	}{
		{QuickServiceStopped, "RUNNING", ""},      // 9705: $SVCSTATECODE
		{RestoreServiceNotStarted, "RUNNING", ""}, // 9409: $SVCSTATEDESC
		{QuickSiteNotStarted, "", "Starting"},     // 9704: $SITESTATE
		{RestoreSucceeded, "", ""},                // 9407: neither
	} {
		e, err := New(time.Unix(0, 0), "test", tc.id, f)
		if err != nil {
			t.Fatal(err)
		}
		if e.ServiceState != tc.service || e.SiteState != tc.site {
			t.Errorf("%d: serviceState %q siteState %q, want %q %q", tc.id, e.ServiceState, e.SiteState, tc.service, tc.site)
		}
	}
}
