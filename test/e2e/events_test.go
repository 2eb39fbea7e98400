package e2e

import (
	"testing"
)

// A host like a real web server: a web site, an FTP site and an SMTP virtual server.
var (
	web  = site{name: "Default Web Site", id: 1, bindings: "http/IP:8080:", autoStart: true}
	ftp  = site{name: "Default FTP Site", id: 2, bindings: "ftp/IP:2121:", autoStart: true}
	smtp = site{name: "Default SMTP Virtual Server", id: 3, bindings: "smtp/IP:2525:", autoStart: true}
)

// labFTPRefusal is what the lab's FTP site "Default FTP Site" answers a refused login:
// its greeting, the password request and 530, one reply a line.
const labFTPRefusal = "220 Microsoft FTP Service (iiskit lab host E2E-NODE, site \"Default FTP Site\")\n331 OK\n530 Authentication error: user cannot log in"

// fast are timing flags that keep the tests quick without changing any decision.
var fast = []string{"--retry-interval", "50ms", "--probe-timeout", "500ms", "--json"}

func w3Args(action, siteName string, extra ...string) []string {
	args := append([]string{action, "--tag", "iis-www1", "--site", siteName, "--type", "W3"}, fast...)
	return append(args, extra...)
}

// TestEvents reaches each of the 20 events of the catalogue that can be reached from
// outside an action, with the exact event list and exit status.
func TestEvents(t *testing.T) {
	tests := []struct {
		name  string
		sites []site
		setup [][]string // lab verbs before the action
		args  []string
		env   []string
		code  int
		want  []string // the whole event list
	}{
		{name: "9705 service stopped", sites: []site{web}, setup: [][]string{{"service", "W3SVC", "state", "Stopped"}},
			args: w3Args("quickcheck", web.name), code: 1, want: []string{wwwFx.Line(9705, 1)}},
		{name: "9707 no such site", sites: []site{web}, args: w3Args("quickcheck", "No Such Site"), code: 1,
			want: []string{www("No Such Site", 9707)}},
		{name: "9704 site stopped", sites: []site{web}, setup: [][]string{{"site", web.name, "state", "Stopped"}},
			args: w3Args("quickcheck", web.name), code: 1, want: []string{wwwFx.Line(9704, "Stopped")}},
		{name: "9773 binding without an IP", sites: []site{{name: "Star", id: 5, bindings: "http/*:18081:", autoStart: true}},
			args: w3Args("deepcheck", "Star"), code: 0, want: []string{www("Star", 9773)}},
		{name: "9760 FTP login refused", sites: []site{ftp}, setup: [][]string{{"site", ftp.name, "respond", "ftp-deny"}},
			args: append([]string{"deepcheck", "--tag", "iis-ftp1", "--site", ftp.name, "--type", "FTP", "--ftp-user", "probe"}, fast...),
			env:  []string{"IISKIT_FTP_PASSWORD=probe"}, code: 1, want: []string{ftpFx.Line(9760, labFTPRefusal)}},
		{name: "9760 wrong FTP password", sites: []site{ftp},
			args: append([]string{"deepcheck", "--tag", "iis-ftp1", "--site", ftp.name, "--type", "ftpsvc", "--ftp-user", "probe"}, fast...),
			env:  []string{"IISKIT_FTP_PASSWORD=wrong-password"}, code: 1, want: []string{ftpFx.Line(9760, labFTPRefusal)}},
		{name: "9757 listener closed", sites: []site{web}, setup: [][]string{{"site", web.name, "respond", "refuse"}},
			args: w3Args("deepcheck", web.name), code: 1, want: []string{wwwFx.Line(9757)}},
		{name: "9759 silent site", sites: []site{web}, setup: [][]string{{"site", web.name, "respond", "hang"}},
			args: w3Args("deepcheck", web.name), code: 1, want: []string{wwwFx.Line(9759)}},
		{name: "9759 dead application pool with expect_status", sites: []site{web}, setup: [][]string{{"site", web.name, "respond", "http-500"}},
			args: w3Args("deepcheck", web.name, "--expect-status", "200-399"), code: 1, want: []string{wwwFx.Line(9759)}},
		{name: "500 is an answer without expect_status", sites: []site{web}, setup: [][]string{{"site", web.name, "respond", "http-500"}},
			args: w3Args("deepcheck", web.name), code: 0, want: nil},
		{name: "9414 restore of a site that does not exist", sites: []site{web},
			args: w3Args("restore", "Gone"), code: 1, want: []string{www("Gone", 9414), www("Gone", 9408)}},
		{name: "9409 service cannot start", sites: []site{web},
			setup: [][]string{{"service", "W3SVC", "state", "Stopped"}, {"service", "W3SVC", "on-start", "fail"}},
			args:  w3Args("restore", web.name), code: 1, want: []string{wwwFx.Line(9409, "STOPPED"), wwwFx.Line(9408)}},
		{name: "9422 binding held by another started site",
			sites: []site{web, {name: "Copy", id: 9, bindings: "http/IP:8080:"}},
			args:  w3Args("restore", "Copy"), code: 1, want: []string{www("Copy", 9422, "$IP:8080:", web.name), www("Copy", 9408)}},
		{name: "9706 site does not start", sites: []site{web},
			setup: [][]string{{"site", web.name, "state", "Stopped"}, {"site", web.name, "on-start", "ignore"}},
			args:  w3Args("restore", web.name), code: 1, want: []string{wwwFx.Line(9706), wwwFx.Line(9408)}},
		{name: "9407 restore", sites: []site{web}, setup: [][]string{{"site", web.name, "state", "Stopped"}},
			args: w3Args("restore", web.name), code: 0, want: []string{wwwFx.Line(9407)}},
		{name: "9557 service stuck starting before the stop", sites: []site{web},
			setup: [][]string{{"service", "W3SVC", "state", "StartPending"}},
			args:  w3Args("remove", web.name, "--timeout", "1s"), code: 1, want: []string{wwwFx.Line(9557, "START_PENDING")}},
		{name: "9563 remove of a site that does not exist", sites: []site{web},
			args: w3Args("remove", "Gone"), code: 0, want: []string{www("Gone", 9563), www("Gone", 9558)}},
		{name: "9556 site does not stop", sites: []site{web}, setup: [][]string{{"site", web.name, "on-stop", "ignore"}},
			args: w3Args("remove", web.name), code: 1, want: []string{wwwFx.Line(9556)}},
		{name: "9558 remove", sites: []site{web}, args: w3Args("remove", web.name), code: 0, want: []string{wwwFx.Line(9558)}},
		{name: "9558 remove with the service stopped", sites: []site{web}, setup: [][]string{{"service", "W3SVC", "state", "Stopped"}},
			args: w3Args("remove", web.name), code: 0, want: []string{wwwFx.Line(9558)}},
		{name: "9607 service cannot start", sites: []site{web},
			setup: [][]string{{"service", "W3SVC", "state", "Stopped"}, {"service", "W3SVC", "on-start", "fail"}},
			args:  w3Args("recover", web.name), code: 1, want: []string{wwwFx.Line(9607, "STOPPED")}},
		{name: "9609 recover of a site that does not exist", sites: []site{web},
			args: w3Args("recover", "Gone"), code: 1, want: []string{www("Gone", 9609)}},
		{name: "9606 site stays stopped", sites: []site{web}, setup: [][]string{{"site", web.name, "state", "Stopped"}},
			args: w3Args("recover", web.name), code: 1, want: []string{wwwFx.Line(9606)}},
		{name: "recover starts a stopped service and IIS starts the site", sites: []site{web},
			setup: [][]string{{"service", "W3SVC", "state", "Stopped"}},
			args:  w3Args("recover", web.name), code: 0, want: nil},
		{name: "SMTP deepcheck needs no probe", sites: []site{smtp},
			args: append([]string{"deepcheck", "--tag", "iis-smtp1", "--site", smtp.name, "--type", "SMTPSVC"}, fast...), code: 0, want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lab := startLab(t, tc.sites...)
			for _, s := range tc.setup {
				lab.ctl(s...)
			}
			r := runWithin(t, boundOf(tc.setup), append(lab.env, tc.env...), tc.args...)
			r.expectLines(t, lab, tc.code, tc.want...)
			for _, e := range r.events {
				if e.Tag == "" || e.Action != tc.args[0] || e.Time == "" || e.Severity == "" {
					t.Errorf("event lacks CLI.md keys: %+v", e)
				}
			}
		})
	}
}
