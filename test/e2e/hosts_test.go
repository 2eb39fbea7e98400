package e2e

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"
)

// TestWildcardHostSite: a site bound only by IIS 10 wildcard host headers (*:443:*.example.com
// and *:80:*.local shapes of Microsoft's "Wildcard Host Header Support") passes deepcheck
// against the lab, which routes as IIS 10 does; the probe sends iiskit-probe.<suffix> or
// probe_host_label's label. A host no binding matches gets HTTP.sys's 400.
func TestWildcardHostSite(t *testing.T) {
	t.Parallel()
	wild := site{name: "Wildcard", id: 7, autoStart: true,
		bindings: "http/IP:8081:*.local https/IP:8444:*.example.com"}
	lab := startLab(t, wild)
	lab.run(w3Args("deepcheck", wild.name)...).expectLines(t, lab, 0)
	lab.run(w3Args("deepcheck", wild.name, "--probe-host-label", "health.eu")...).expectLines(t, lab, 0)
	for _, host := range []string{"www.example.org", "local", "*.local"} {
		if code := status(t, lab.IP+":8081", host); code != 400 {
			t.Errorf("Host %s: status %d, want 400", host, code)
		}
	}
	if code := status(t, lab.IP+":8081", "intranet.local"); code != 200 {
		t.Errorf("Host intranet.local: status %d, want 200", code)
	}
	// A bad label is a definition error: exit 2, nothing probed.
	r := lab.run(w3Args("deepcheck", wild.name, "--probe-host-label", "*")...)
	if r.code != 2 || len(r.events) != 0 || !strings.Contains(r.stderr, "probe-host-label") {
		t.Errorf("--probe-host-label '*': exit %d events %v stderr %q", r.code, r.ids(), r.stderr)
	}
}

// TestFTPVirtualHostSites: two FTP sites share one IP:port by FTP virtual host names
// (ftp.contoso.com and ftp.fabrikam.com, the shapes of Microsoft's "FTP Host Name
// Support"); each passes its deep check, which logs in as host|user, and the lab
// refuses a plain USER on that IP:port with 530, as IIS does.
func TestFTPVirtualHostSites(t *testing.T) {
	t.Parallel()
	contoso := site{name: "Contoso FTP", id: 4, autoStart: true, bindings: "ftp/IP:2121:ftp.contoso.com"}
	fabrikam := site{name: "Fabrikam FTP", id: 5, autoStart: true, bindings: "ftp/IP:2121:ftp.fabrikam.com"}
	lab := startLab(t, contoso, fabrikam)
	for _, s := range []site{contoso, fabrikam} {
		r := runIISKit(t, append(lab.env, "IISKIT_FTP_PASSWORD=probe"),
			append([]string{"deepcheck", "--tag", "iis-ftp1", "--site", s.name, "--type", "FTP", "--ftp-user", "probe"}, fast...)...)
		if r.code != 0 || len(r.events) != 0 {
			t.Errorf("deepcheck %s: exit %d events %v\n%s", s.name, r.code, r.ids(), r.stderr)
		}
	}
	conn, err := textproto.Dial("tcp", lab.IP+":2121")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, _, err := conn.ReadResponse(220); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		cmd  string
		want int
	}{{"USER probe", 331}, {"PASS probe", 530}} {
		if _, err := conn.Cmd("%s", step.cmd); err != nil {
			t.Fatal(err)
		}
		if code, msg, _ := conn.ReadResponse(0); code != step.want {
			t.Fatalf("%s: %d %s, want %d", step.cmd, code, msg, step.want)
		}
	}
}

// status sends one GET with exactly this Host header and returns the status.
func status(t *testing.T, addr, host string) int {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", host)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("Host %s: %v", host, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestUnholdableSiteStaysStopped: a configuration with one site bound to an address the
// lab cannot listen on (192.0.2.10, a documentation address, as real servers bind their
// public addresses) still loads; that site is Stopped (quickcheck: 9704) and the others
// serve.
func TestUnholdableSiteStaysStopped(t *testing.T) {
	t.Parallel()
	far := site{name: "Public", id: 9, autoStart: true, bindings: "http/192.0.2.10:80:www.contoso.com"}
	lab := startLab(t, web, far)
	lab.run(w3Args("deepcheck", web.name)...).expectLines(t, lab, 0)
	lab.run(w3Args("quickcheck", far.name)...).expectLines(t, lab, 1, www(far.name, 9704, "Stopped"))
}
