package e2e

import (
	"strings"
	"testing"
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
		ids   []int
		text  string
	}{
		{name: "https binding probed over TLS", sites: []site{secure}, args: w3Args("deepcheck", secure.name), code: 0},
		{name: "9801 certificate expiring within cert_warn_days", sites: []site{secure},
			args: w3Args("deepcheck", secure.name, "--cert-warn-days", "400"), code: 0, ids: []int{9801},
			text: `binding (` /* the lab's certificate lives 365 days */},
		{name: "tls_verify fails a self-signed certificate with 9759", sites: []site{secure},
			args: w3Args("deepcheck", secure.name, "--tls-verify"), code: 1, ids: []int{9759}},
		{name: "deep_smtp healthy", sites: []site{smtp}, args: smtpArgs(), code: 0},
		{name: "9802 SMTP listener closed", sites: []site{smtp}, setup: [][]string{{"site", smtp.name, "respond", "refuse"}},
			args: smtpArgs(), code: 1, ids: []int{9802}},
		{name: "9803 SMTP silent", sites: []site{smtp}, setup: [][]string{{"site", smtp.name, "respond", "hang"}},
			args: smtpArgs(), code: 1, ids: []int{9803}},
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
			r := lab.run(tc.args...)
			r.expect(t, tc.code, tc.ids...)
			if tc.text != "" && (len(r.events) == 0 || !strings.Contains(r.events[0].Message, tc.text)) {
				t.Errorf("events %+v lack %q", r.events, tc.text)
			}
		})
	}
}
