package lab

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/resource"
)

// TestWildcardHostRouting routes host names on one IP:port as IIS 10 does: the exact host
// name first, then a wildcard host (*.example.com, one or more labels, the longest suffix
// winning), then the binding with no host; nothing matching gets HTTP.sys's 400. The
// shapes are Microsoft's: *.contoso.com of "Wildcard Host Header Support"
// (learn.microsoft.com/iis/get-started/whats-new-in-iis-10/wildcard-host-header-support,
// "intranet.contoso.com, private.contoso.com, blogs.contoso.com" all reach it, and
// *.service.contoso.com is legal), beside an exact www.contoso.com as in the <binding>
// reference (learn.microsoft.com/iis/configuration/system.applicationhost/sites/site/
// bindings/binding), and a catch-all *:PORT:* written with a bare "*".
func TestWildcardHostRouting(t *testing.T) {
	ip := testIP(t)
	p := nextPort()
	cfg := writeConfig(t,
		siteXML("Wild", `id="1"`, [2]string{"http", fmt.Sprintf("%s:%d:*.contoso.com", ip, p)}),
		siteXML("Service", `id="2"`, [2]string{"http", fmt.Sprintf("%s:%d:*.service.contoso.com", ip, p)}),
		siteXML("Exact", `id="3"`, [2]string{"http", fmt.Sprintf("%s:%d:www.contoso.com", ip, p)}),
		siteXML("Any", `id="4"`, [2]string{"http", fmt.Sprintf("%s:%d:*", ip, p)}))
	_, c := startLab(t, cfg, 0)
	a := addr(ip, p)
	for _, tc := range []struct{ host, want string }{
		{"www.contoso.com", `"Exact"`},
		{"WWW.Contoso.com", `"Exact"`},
		{"intranet.contoso.com", `"Wild"`},
		{"a.b.contoso.com", `"Wild"`},
		{"api.service.contoso.com", `"Service"`},
		{"contoso.com", `"Any"`},
		{"*.contoso.com", `"Any"`},
		{"fabrikam.com", `"Any"`},
	} {
		t.Run(tc.host, func(t *testing.T) {
			code, body, err := rawGet(t, a, tc.host)
			if err != nil || code != 200 || !strings.Contains(body, tc.want) {
				t.Fatalf("%d %q %v, want 200 from %s", code, body, err, tc.want)
			}
		})
	}
	// Without the catch-all, a host no binding matches gets HTTP.sys's own answer.
	mustSite(t, c, labapi.PathSiteState, labapi.SiteRequest{Name: "Any", State: "Stopped"})
	for _, host := range []string{"contoso.com", "*.contoso.com", "www.fabrikam.com"} {
		resp := rawResponse(t, a, host)
		if resp.StatusCode != 400 || resp.Header.Get("Server") != "Microsoft-HTTPAPI/2.0" ||
			resp.Header.Get("Content-Type") != "text/html; charset=us-ascii" || resp.ContentLength != 334 {
			t.Errorf("Host %s: %s %v", host, resp.Status, resp.Header)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		// HTTP.sys's page, as public captures of IIS show it.
		want := "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\"\"http://www.w3.org/TR/html4/strict.dtd\">\r\n" +
			"<HTML><HEAD><TITLE>Bad Request</TITLE>\r\n" +
			"<META HTTP-EQUIV=\"Content-Type\" Content=\"text/html; charset=us-ascii\"></HEAD>\r\n" +
			"<BODY><h2>Bad Request - Invalid Hostname</h2>\r\n" +
			"<hr><p>HTTP Error 400. The request hostname is invalid.</p>\r\n" +
			"</BODY></HTML>\r\n"
		if string(body) != want {
			t.Errorf("Host %s: body %q", host, body)
		}
	}
}

// rawGet sends one GET with exactly this Host header (net/http's client would refuse
// some) and returns the status and body.
func rawGet(t *testing.T, a, host string) (int, string, error) {
	t.Helper()
	resp := rawResponse(t, a, host)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

func rawResponse(t *testing.T, a, host string) *http.Response {
	t.Helper()
	conn, err := net.DialTimeout("tcp", a, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", host); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("Host %s: %v", host, err)
	}
	return resp
}

// TestFTPVirtualHosts: two FTP sites share one IP:port by FTP virtual host names, as in
// Microsoft's "FTP Host Name Support <hostNameSupport>" (learn.microsoft.com/iis/
// configuration/system.ftpserver/serverruntime/hostnamesupport: bindings for
// ftp.contoso.com and ftp.fabrikam.com, logins as ftp.contoso.com|username). Each is
// reached by host|user or by HOST (RFC 7151) before a plain USER; a plain USER reaches
// neither and is refused with 530; a third site on the same host name is refused.
func TestFTPVirtualHosts(t *testing.T) {
	ip := testIP(t)
	p := nextPort()
	cfg := writeConfig(t,
		siteXML("Contoso FTP", `id="1"`, [2]string{"ftp", fmt.Sprintf("%s:%d:ftp.contoso.com", ip, p)}),
		siteXML("Fabrikam FTP", `id="2"`, [2]string{"ftp", fmt.Sprintf("%s:%d:ftp.fabrikam.com", ip, p)}))
	srv, c := startLab(t, cfg, 0)
	if w := srv.Warnings(); len(w) != 0 {
		t.Fatalf("warnings %q", w)
	}
	a := addr(ip, p)
	type step struct{ cmd, want string }
	dialogue := func(t *testing.T, steps ...step) {
		t.Helper()
		conn, err := textproto.Dial("tcp", a)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if code, msg, err := conn.ReadResponse(220); err != nil || strings.Contains(msg, "site") {
			t.Fatalf("greeting %d %q %v (a shared IP:port names no site)", code, msg, err)
		}
		for _, s := range steps {
			if _, err := conn.Cmd("%s", s.cmd); err != nil {
				t.Fatal(err)
			}
			code, msg, _ := conn.ReadResponse(0)
			if got := fmt.Sprint(code); got != s.want {
				t.Fatalf("%s: %d %s, want %s", s.cmd, code, msg, s.want)
			}
		}
	}
	t.Run("host|user", func(t *testing.T) {
		dialogue(t, step{"USER ftp.contoso.com|probe", "331"}, step{"PASS probe", "230"})
		dialogue(t, step{"USER FTP.FABRIKAM.COM|probe", "331"}, step{"PASS probe", "230"})
	})
	t.Run("HOST then USER", func(t *testing.T) {
		dialogue(t, step{"HOST ftp.fabrikam.com", "220"}, step{"USER probe", "331"}, step{"PASS probe", "230"})
		dialogue(t, step{"HOST ftp.unknown.test", "504"}, step{"USER probe", "331"}, step{"PASS probe", "530"})
	})
	t.Run("plain USER refused", func(t *testing.T) {
		dialogue(t, step{"USER probe", "331"}, step{"PASS probe", "530"})
		dialogue(t, step{"USER ftp.other.test|probe", "331"}, step{"PASS probe", "530"})
	})
	t.Run("per-site modes", func(t *testing.T) {
		setRespond(t, c, "Contoso FTP", "ftp-deny")
		dialogue(t, step{"USER ftp.contoso.com|probe", "331"}, step{"PASS probe", "530"})
		dialogue(t, step{"USER ftp.fabrikam.com|probe", "331"}, step{"PASS probe", "230"})
		// hang: the shared IP:port cannot hold the connection before the login names the
		// site, so the login goes unanswered; the other site still answers.
		setRespond(t, c, "Contoso FTP", "hang")
		conn, err := textproto.Dial("tcp", a)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, _, err := conn.ReadResponse(220); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Cmd("USER ftp.contoso.com|probe"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := conn.ReadResponse(331); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Cmd("PASS probe"); err != nil {
			t.Fatal(err)
		}
		answered := make(chan int, 1)
		go func() {
			code, _, _ := conn.ReadResponse(0)
			answered <- code
		}()
		dialogue(t, step{"USER ftp.fabrikam.com|probe", "331"}, step{"PASS probe", "230"})
		// The login is held before the site stops (else a late PASS meets a stopped site).
		select {
		case <-liveFTP(t, srv, "Contoso FTP").held:
		case code := <-answered:
			t.Fatalf("a hanging site answered the login: %d", code)
		case <-time.After(5 * time.Second):
			t.Fatal("the login was never held")
		}
		// Stopping the site releases the held login: the connection ends unanswered.
		mustSite(t, c, labapi.PathSiteStop, labapi.SiteRequest{Name: "Contoso FTP", Type: "FTP"})
		select {
		case code := <-answered:
			if code != 0 {
				t.Errorf("the held login got %d after the site stopped, want the connection closed", code)
			}
		case <-time.After(5 * time.Second):
			t.Error("the held login outlived the site")
		}
		setRespond(t, c, "Contoso FTP", "ok")
		mustSite(t, c, labapi.PathSiteStart, labapi.SiteRequest{Name: "Contoso FTP", Type: "FTP"})
	})
	res, err := c.Site(t.Context(), labapi.PathSiteAdd, labapi.SiteRequest{Name: "Clash", Type: "FTP",
		Bindings: []string{fmt.Sprintf("ftp/%s:%d:ftp.contoso.com", ip, p)}})
	if err != nil || !strings.Contains(res.Message, `Stopped: binding ftp/`+a+`:ftp.contoso.com is in use by site "Contoso FTP"`) {
		t.Errorf("third site on the same host name: %+v %v", res, err)
	}
}

// liveFTP returns the listening part of the FTP site name on the lab host of srv.
func liveFTP(t *testing.T, srv *Server, name string) *liveSite {
	t.Helper()
	h := srv.host
	h.mu.Lock()
	defer h.mu.Unlock()
	s, err := h.siteNamed(name)
	if err != nil || s.live[resource.FTP] == nil {
		t.Fatalf("site %q is not serving FTP: %v", name, err)
	}
	return s.live[resource.FTP]
}
