package action

import (
	"strings"
	"testing"

	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/event/eventtest"
)

// The fixtures of the action tests; $SYS is always NODE1 (the fake host).
var (
	wwwFx  = eventtest.Fixture{Tag: "iis-www1", Site: dws, Service: "W3SVC", SiteType: "W3 site", System: "NODE1"}
	ftpFx  = eventtest.Fixture{Tag: "iis-ftp1", Site: dws, Service: "FTPSVC", SiteType: "FTP site", System: "NODE1"}
	smtpFx = eventtest.Fixture{Tag: "iis-smtp1", Site: "Default SMTP Virtual Server", Service: "SMTPSVC", SiteType: "SMTP site", System: "NODE1"}
)

// www renders a line of the default W3 fixture.
func www(id event.ID, vars ...any) string { return wwwFx.Line(id, vars...) }

// checkEvents compares the whole event list, severity, ID and text of each event, with
// want.
func checkEvents(t *testing.T, rec *eventtest.Recorder, want ...string) {
	t.Helper()
	got := eventtest.Lines(rec.Events())
	if strings.Join(got, "\n") != strings.Join(want, "\n") || len(got) != len(want) {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
