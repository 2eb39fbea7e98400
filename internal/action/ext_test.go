package action

import (
	"strings"
	"testing"
	"time"

	p "github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
)

// Tests of the [ext] options of issue 4 on the action side: certificate warnings,
// tls_verify, deep_smtp and ftp_tls.

func TestDeepCheckCertificateWarning(t *testing.T) {
	secure := mustBinding("https/127.0.0.2:443:secure.example")
	tests := []struct {
		name     string
		days     int
		notAfter time.Time
		code     probe.Code
		want     []string
		status   Status
	}{
		{"expires within cert_warn_days → 9801 warning, still healthy", 30, epoch.Add(10 * 24 * time.Hour), probe.OK,
			[]string{www(9801, "127.0.0.2:443:secure.example", "2026-12-05T10:00:00Z", 30)}, Success},
		{"expires later → no warning", 30, epoch.Add(40 * 24 * time.Hour), probe.OK, nil, Success},
		{"already expired and verification on → warning then 9759", 30, epoch.Add(-time.Hour), probe.HTTPNoAnswer,
			[]string{www(9801, "127.0.0.2:443:secure.example", "2026-11-25T09:00:00Z", 30), www(9759)}, Failure},
		{"cert_warn_days off → no warning", 0, epoch.Add(time.Hour), probe.OK, nil, Success},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hs := newHarness(&fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{listing(site(dws, 1, p.SiteStarted, secure))}})
			hs.prober.http = []probe.Result{{Code: tc.code, CertNotAfter: tc.notAfter}}
			res := w3(dws)
			res.Options.CertWarnDays = tc.days
			res.Options.TLSVerify = true
			if got := hs.run(t, DeepCheck, res); got != tc.status {
				t.Errorf("status = %v, want %v", got, tc.status)
			}
			checkEvents(t, hs.rec, tc.want...)
			if got := hs.prober.targets[0]; !strings.HasSuffix(got, "tls=true verify=true") {
				t.Errorf("probe target %q does not ask for verification", got)
			}
		})
	}
}

func TestDeepCheckSMTP(t *testing.T) {
	smtpSite := func(bs ...resource.Binding) *fakeHost {
		return &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{listing(site("Default SMTP Virtual Server", 1, p.SiteStarted, bs...))}}
	}
	bSMTP := mustBinding("smtp/127.0.0.2:25:")
	tests := []struct {
		name   string
		deep   bool
		host   *fakeHost
		result probe.Result
		want   []string
		status Status
		probed int
	}{
		{"without deep_smtp, D4 stops before any probe", false, smtpSite(bSMTP), probe.Result{Code: probe.SMTPNoConnect}, nil, Success, 0},
		{"deep_smtp healthy", true, smtpSite(bSMTP), probe.Result{Code: probe.OK}, nil, Success, 1},
		{"deep_smtp no connection → 9802", true, smtpSite(bSMTP), probe.Result{Code: probe.SMTPNoConnect},
			[]string{smtpFx.Line(9802, "127.0.0.2:25:")}, Failure, 1},
		{"deep_smtp no valid answer → 9803", true, smtpSite(bSMTP), probe.Result{Code: probe.SMTPNoAnswer, Replies: "554 go away\r\n"},
			[]string{smtpFx.Line(9803, "127.0.0.2:25:", "554 go away\r\n")}, Failure, 1},
		{"deep_smtp with only unassigned bindings → 9773", true, smtpSite(mustBinding("smtp/:25:")), probe.Result{Code: probe.OK},
			[]string{smtpFx.Line(9773)}, Success, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hs := newHarness(tc.host)
			hs.prober.smtp = []probe.Result{tc.result}
			res := resource.Resource{Tag: "iis-smtp1", Site: "Default SMTP Virtual Server", Type: resource.SMTP}
			res.Options.DeepSMTP = tc.deep
			if got := hs.run(t, DeepCheck, res); got != tc.status {
				t.Errorf("status = %v, want %v", got, tc.status)
			}
			checkEvents(t, hs.rec, tc.want...)
			if len(hs.prober.targets) != tc.probed {
				t.Errorf("probed %q, want %d probes", hs.prober.targets, tc.probed)
			}
		})
	}
}

func TestDeepCheckFTPTLS(t *testing.T) {
	for policy, want := range map[resource.TLSMode]string{resource.TLSOff: "tls=off", resource.TLSOn: "tls=on", resource.TLSAuto: "tls=auto"} {
		hs := newHarness(&fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{listing(site("ftp", 2, p.SiteStarted, bFTP))}})
		res := resource.Resource{Tag: "iis-ftp1", Site: "ftp", Type: resource.FTP}
		res.Options.FTPTLS = policy
		hs.run(t, DeepCheck, res)
		if len(hs.prober.targets) != 1 || !strings.HasSuffix(hs.prober.targets[0], want) {
			t.Errorf("ftp_tls %v: probed %q, want %s", policy, hs.prober.targets, want)
		}
	}
}

func TestPollSiteArguments(t *testing.T) {
	tests := []struct {
		args   []string
		code   probe.Code
		target string
	}{
		{[]string{"W3", "127.0.0.1"}, probe.BadArgs, ""},
		{[]string{"W3", "127.0.0.1", "80", "x"}, probe.BadArgs, ""},
		{[]string{"GOPHER", "127.0.0.1", "80"}, probe.BadArgs, ""},
		{[]string{"W3", "localhost", "80"}, probe.BadArgs, ""},
		{[]string{"W3", "127.0.0.1", "0"}, probe.BadArgs, ""},
		{[]string{"w3svc", "127.0.0.1", "80"}, probe.OK, "http 127.0.0.1:80 host= tls=false verify=false"},
		{[]string{"WEB", "::1", "8080"}, probe.OK, "http [::1]:8080 host= tls=false verify=false"},
		{[]string{"FTP", "[::1]", "21"}, probe.OK, "ftp [::1]:21 user= tls=off"},
		{[]string{"SMTP", "127.0.0.2", "25"}, probe.OK, "smtp 127.0.0.2:25 starttls=off"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			fp := &fakeProber{}
			res := PollSite(t.Context(), fp, tc.args, PollOptions{})
			if res.Code != tc.code {
				t.Errorf("code = %v (%v), want %v", res.Code, res.Err, tc.code)
			}
			if got := strings.Join(fp.targets, ";"); got != tc.target {
				t.Errorf("probed %q, want %q", got, tc.target)
			}
		})
	}
}

// TestDeepCheckProbeHost: D4.5 sends a host name IIS routes to each binding. A wildcard
// host header gets probe_host_label [ext] (default iiskit-probe) in place of its "*", a
// bare "*" is the empty host (the probe sends the address), an exact one goes as it is;
// an FTP binding's host name is the FTP virtual host of the login. Binding shapes: the
// IIS 10 wildcard host header samples (*:443:*.example.com, *:80:*.local, *:8080:*) of
// Microsoft's "Wildcard Host Header Support" (learn.microsoft.com/iis/get-started/
// whats-new-in-iis-10/wildcard-host-header-support), and ftp.contoso.com as an FTP
// binding's host name from "FTP Host Name Support <hostNameSupport>"
// (learn.microsoft.com/iis/configuration/system.ftpserver/serverruntime/hostnamesupport).
func TestDeepCheckProbeHost(t *testing.T) {
	web := []resource.Binding{
		mustBinding("https/127.0.0.2:443:*.example.com"),
		mustBinding("http/127.0.0.2:80:*.local"),
		mustBinding("http/127.0.0.2:8080:*"),
		mustBinding("http/127.0.0.2:81:www.example.com"),
	}
	for _, tc := range []struct {
		label string
		want  []string
	}{
		{"", []string{
			"http 127.0.0.2:443 host=iiskit-probe.example.com tls=true verify=false",
			"http 127.0.0.2:80 host=iiskit-probe.local tls=false verify=false",
			"http 127.0.0.2:8080 host= tls=false verify=false",
			"http 127.0.0.2:81 host=www.example.com tls=false verify=false",
		}},
		{"health", []string{
			"http 127.0.0.2:443 host=health.example.com tls=true verify=false",
			"http 127.0.0.2:80 host=health.local tls=false verify=false",
			"http 127.0.0.2:8080 host= tls=false verify=false",
			"http 127.0.0.2:81 host=www.example.com tls=false verify=false",
		}},
	} {
		t.Run("label "+tc.label, func(t *testing.T) {
			hs := newHarness(&fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{listing(site(dws, 1, p.SiteStarted, web...))}})
			res := resource.Resource{Tag: "iis-www1", Site: dws, Type: resource.W3}
			res.Options.ProbeHostLabel = tc.label
			hs.run(t, DeepCheck, res)
			if strings.Join(hs.prober.targets, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("probed\n%s\nwant\n%s", strings.Join(hs.prober.targets, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
	hs := newHarness(&fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{listing(site("ftp", 2, p.SiteStarted,
		mustBinding("ftp/127.0.0.2:21:ftp.contoso.com"), mustBinding("ftp/127.0.0.3:21:")))}})
	hs.run(t, DeepCheck, resource.Resource{Tag: "iis-ftp1", Site: "ftp", Type: resource.FTP, FTP: resource.Credentials{User: "probe"}})
	want := "ftp 127.0.0.2:21 user=probe vhost=ftp.contoso.com tls=off\nftp 127.0.0.3:21 user=probe tls=off"
	if got := strings.Join(hs.prober.targets, "\n"); got != want {
		t.Errorf("FTP probed\n%s\nwant\n%s", got, want)
	}
}
