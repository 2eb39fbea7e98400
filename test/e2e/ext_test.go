package e2e

import (
	"strings"
	"testing"
	"time"
)

// TestExtEvents reaches the [ext] events of issue 4 through the real binary.
func TestExtEvents(t *testing.T) {
	secure := site{name: "Secure", id: 6, bindings: "https/IP:8443:secure.test", autoStart: true}
	smtpArgs := func(extra ...string) []string {
		return append(append([]string{"deepcheck", "--tag", "iis-smtp1", "--site", smtp.name, "--type", "SMTP", "--deep-smtp"}, fast...), extra...)
	}
	tests := []struct {
		name  string
		sites []site
		setup [][]string
		args  []string
		code  int
		want  []string // the whole event list
	}{
		{name: "https binding probed over TLS", sites: []site{secure}, args: w3Args("deepcheck", secure.name), code: 0},
		{name: "tls_verify fails a self-signed certificate with 9759", sites: []site{secure},
			args: w3Args("deepcheck", secure.name, "--tls-verify"), code: 1, want: []string{www(secure.name, 9759)}},
		{name: "deep_smtp healthy", sites: []site{smtp}, args: smtpArgs(), code: 0},
		{name: "9802 SMTP listener closed", sites: []site{smtp}, setup: [][]string{{"site", smtp.name, "respond", "refuse"}},
			args: smtpArgs(), code: 1, want: []string{smtpFx.Line(9802, "$IP:2525:")}},
		{name: "9803 SMTP silent", sites: []site{smtp}, setup: [][]string{{"site", smtp.name, "respond", "hang"}},
			args: smtpArgs(), code: 1, want: []string{smtpFx.Line(9803, "$IP:2525:", "")}},
		{name: "url and expect_status pass on 200", sites: []site{web},
			args: w3Args("deepcheck", web.name, "--url", "/health", "--expect-status", "200"), code: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lab := startLab(t, tc.sites...)
			for _, s := range tc.setup {
				lab.ctl(s...)
			}
			runWithin(t, boundOf(tc.setup), lab.env, tc.args...).expectLines(t, lab, tc.code, tc.want...)
		})
	}
}

// TestCertificateWarning: 9801 through the real binary. The lab's certificate lives 365
// days from the lab's start, so the expiry in the text is read from the event, checked to
// lie in that window, and the whole line compared with it.
func TestCertificateWarning(t *testing.T) {
	t.Parallel()
	secure := site{name: "Secure", id: 6, bindings: "https/IP:8443:secure.test", autoStart: true}
	lab := startLab(t, secure)
	before := time.Now().UTC()
	r := lab.run(w3Args("deepcheck", secure.name, "--cert-warn-days", "400")...)
	var expires string
	if len(r.events) == 1 {
		if _, rest, ok := strings.Cut(r.events[0].Message, " expires at "); ok {
			expires, _, _ = strings.Cut(rest, ",")
		}
	}
	at, err := time.Parse(time.RFC3339, expires)
	if err != nil || at.Before(before.Add(364*24*time.Hour)) || at.After(time.Now().Add(366*24*time.Hour)) {
		t.Errorf("expiry %q (%v) is not about 365 days from now", expires, err)
	}
	r.expectLines(t, lab, 0, www(secure.name, 9801, "$IP:8443:secure.test", expires, 400))
}
