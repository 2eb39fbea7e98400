package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/event/eventtest"
)

// The fixtures of the end-to-end events: the lab host calls itself E2E-NODE.
var (
	wwwFx  = eventtest.Fixture{Tag: "iis-www1", Site: web.name, Service: "W3SVC", SiteType: "W3 site", System: "E2E-NODE"}
	ftpFx  = eventtest.Fixture{Tag: "iis-ftp1", Site: ftp.name, Service: "FTPSVC", SiteType: "FTP site", System: "E2E-NODE"}
	smtpFx = eventtest.Fixture{Tag: "iis-smtp1", Site: smtp.name, Service: "SMTPSVC", SiteType: "SMTP site", System: "E2E-NODE"}
)

// www renders an event line of the web resource iis-www1 on site siteName.
func www(siteName string, id event.ID, vars ...any) string {
	f := wwwFx
	f.Site = siteName
	return f.Line(id, vars...)
}

// lines renders the JSON events as "Severity ID: message", the form Fixture.Line writes.
func (r result) lines() []string {
	out := make([]string, len(r.events))
	for i, e := range r.events {
		out[i] = fmt.Sprintf("%s %d: %s", e.Severity, e.ID, e.Message)
	}
	return out
}

// expectLines checks the exit status and the whole ordered event list: severity, ID and
// text of every event. "$IP" in a wanted line stands for the lab host's address.
func (r result) expectLines(t *testing.T, lab *labHost, code int, want ...string) {
	t.Helper()
	for i := range want {
		if lab != nil {
			want[i] = strings.ReplaceAll(want[i], "$IP", lab.IP)
		}
	}
	got := r.lines()
	if r.code != code || strings.Join(got, "\n") != strings.Join(want, "\n") || len(got) != len(want) {
		t.Errorf("exit %d, events:\n%s\nwant exit %d, events:\n%s\nstderr: %s", r.code, strings.Join(got, "\n"), code, strings.Join(want, "\n"), r.stderr)
	}
}
