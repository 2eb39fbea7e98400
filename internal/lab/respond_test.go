package lab

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/lab/labapi"
)

func setRespond(t *testing.T, c *labapi.Client, site, mode string) {
	t.Helper()
	mustSite(t, c, labapi.PathSiteRespond, labapi.SiteRequest{Name: site, Mode: mode})
}

func TestHTTPRespondModes(t *testing.T) {
	ip := testIP(t)
	p := nextPort()
	cfg := writeConfig(t, siteXML("Web", `id="3"`, [2]string{"http", fmt.Sprintf("%s:%d:", ip, p)}))
	_, c := startLab(t, cfg, 20*time.Millisecond)
	a := addr(ip, p)

	code, body, err := httpGet(t, a, "", 5*time.Second)
	if err != nil || code != 200 || !strings.Contains(body, `"Web"`) || !strings.Contains(body, "LABHOST") {
		t.Fatalf("ok: %d %q %v", code, body, err)
	}
	setRespond(t, c, "Web", "http-500")
	if code, _, err := httpGet(t, a, "", 5*time.Second); err != nil || code != 500 {
		t.Fatalf("http-500: %d %v", code, err)
	}
	setRespond(t, c, "Web", "hang")
	if _, _, err := httpGet(t, a, "", 300*time.Millisecond); err == nil {
		t.Fatal("hang: got an answer")
	}
	// A request held by hang ends when the site stops, long before the client's timeout.
	done := make(chan error, 1)
	conn, err := net.DialTimeout("tcp", a, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	go func() {
		conn.SetReadDeadline(time.Now().Add(waitTimeout))
		_, err := conn.Read(make([]byte, 1))
		done <- err
	}()
	mustSite(t, c, labapi.PathSiteState, labapi.SiteRequest{Name: "Web", State: "Stopped"})
	select {
	case err := <-done:
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatal("held connection was not closed when the site stopped")
		}
	case <-time.After(waitTimeout + time.Second):
		t.Fatal("held connection still open")
	}
	mustSite(t, c, labapi.PathSiteState, labapi.SiteRequest{Name: "Web", State: "Started"})
	setRespond(t, c, "Web", "refuse")
	if dialable(a) {
		t.Fatal("refuse: still accepting connections")
	}
	if s := siteOf(t, c, "Web"); s.State.String() != "Started" {
		t.Fatalf("refuse: state %v, want Started", s.State)
	}
	setRespond(t, c, "Web", "ok")
	if code, _, err := httpGet(t, a, "", 5*time.Second); err != nil || code != 200 {
		t.Fatalf("back to ok: %d %v", code, err)
	}
}

func TestHostHeaderDispatch(t *testing.T) {
	ip := testIP(t)
	p := nextPort()
	cfg := writeConfig(t,
		siteXML("Catch-all", `id="1"`, [2]string{"http", fmt.Sprintf("%s:%d:", ip, p)}),
		siteXML("Alpha", `id="2"`, [2]string{"http", fmt.Sprintf("%s:%d:alpha.test", ip, p)}),
		siteXML("Beta", `id="3"`, [2]string{"http", fmt.Sprintf("%s:%d:beta.test", ip, p)}))
	_, c := startLab(t, cfg, 20*time.Millisecond)
	a := addr(ip, p)
	tests := []struct {
		host, want string
	}{
		{"alpha.test", `"Alpha"`},
		{"BETA.test:" + fmt.Sprint(p), `"Beta"`},
		{"gamma.test", `"Catch-all"`},
		{"", `"Catch-all"`},
	}
	for _, tc := range tests {
		t.Run(tc.host, func(t *testing.T) {
			_, body, err := httpGet(t, a, tc.host, 5*time.Second)
			if err != nil || !strings.Contains(body, tc.want) {
				t.Fatalf("body %q, err %v, want %s", body, err, tc.want)
			}
		})
	}
	// Alpha refusing keeps the shared socket open for the others; its clients are cut off.
	setRespond(t, c, "Alpha", "refuse")
	if _, _, err := httpGet(t, a, "alpha.test", 2*time.Second); err == nil {
		t.Error("refusing Alpha answered")
	}
	if code, _, err := httpGet(t, a, "beta.test", 2*time.Second); err != nil || code != 200 {
		t.Errorf("Beta beside refusing Alpha: %d %v", code, err)
	}
	// Without the catch-all, an unknown host gets HTTP.sys's 400.
	mustSite(t, c, labapi.PathSiteState, labapi.SiteRequest{Name: "Catch-all", State: "Stopped"})
	if code, _, err := httpGet(t, a, "gamma.test", 2*time.Second); err != nil || code != 400 {
		t.Errorf("unknown host: %d %v", code, err)
	}
}

func TestHTTPS(t *testing.T) {
	ip := testIP(t)
	p := nextPort()
	cfg := writeConfig(t, siteXML("Secure", `id="1"`, [2]string{"https", fmt.Sprintf("%s:%d:", ip, p)}))
	startLab(t, cfg, 20*time.Millisecond)
	cert, err := labCertificate()
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{Proxy: nil,
		TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: "localhost", MinVersion: tls.VersionTLS12}}}
	resp, err := c.Get("https://" + addr(ip, p) + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.TLS == nil {
		t.Fatalf("https: %d, TLS %v", resp.StatusCode, resp.TLS != nil)
	}
}

// ftpLogin dials an FTP site and logs in, returning the replies' codes.
func ftpLogin(t *testing.T, a, user, pass string) (greeting, login int, err error) {
	t.Helper()
	conn, err := textproto.Dial("tcp", a)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close()
	greeting, _, err = conn.ReadResponse(0)
	if err != nil {
		return greeting, 0, err
	}
	if _, err := conn.Cmd("USER %s", user); err != nil {
		return greeting, 0, err
	}
	if _, _, err := conn.ReadResponse(331); err != nil {
		return greeting, 0, err
	}
	if _, err := conn.Cmd("PASS %s", pass); err != nil {
		return greeting, 0, err
	}
	login, _, err = conn.ReadResponse(0)
	return greeting, login, err
}

func TestFTPRespondModes(t *testing.T) {
	ip := testIP(t)
	p := nextPort()
	cfg := writeConfig(t, siteXML("Files", `id="2"`, [2]string{"ftp", fmt.Sprintf("%s:%d:", ip, p)}))
	_, c := startLab(t, cfg, 20*time.Millisecond)
	a := addr(ip, p)
	tests := []struct {
		name       string
		mode       string
		user, pass string
		wantLogin  int
	}{
		{"probe logs in", "ok", "probe", "probe", 230},
		{"wrong password", "ok", "probe", "nope", 530},
		{"other user", "ok", "anonymous", "probe", 530},
		{"ftp-deny", "ftp-deny", "probe", "probe", 530},
		{"back to ok", "ok", "probe", "probe", 230},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			setRespond(t, c, "Files", tc.mode)
			greeting, login, err := ftpLogin(t, a, tc.user, tc.pass)
			if greeting != 220 || login != tc.wantLogin {
				t.Fatalf("greeting %d, login %d (%v), want 220, %d", greeting, login, err, tc.wantLogin)
			}
		})
	}
	setRespond(t, c, "Files", "hang")
	conn, err := net.DialTimeout("tcp", a, time.Second)
	if err != nil {
		t.Fatalf("hang: connection refused: %v", err)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if n, err := conn.Read(make([]byte, 64)); n > 0 || err == nil {
		t.Fatalf("hang: read %d bytes, %v; want silence", n, err)
	}
	// Stopping the site closes the held connection.
	mustSite(t, c, labapi.PathSiteState, labapi.SiteRequest{Name: "Files", State: "Stopped"})
	conn.SetReadDeadline(time.Now().Add(waitTimeout))
	if _, err := conn.Read(make([]byte, 64)); err == nil {
		t.Fatal("held FTP connection still open after the site stopped")
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("held FTP connection was not closed when the site stopped")
	}
	mustSite(t, c, labapi.PathSiteState, labapi.SiteRequest{Name: "Files", State: "Started"})
	setRespond(t, c, "Files", "refuse")
	if dialable(a) {
		t.Fatal("refuse: FTP still accepting")
	}
}

func TestSMTP(t *testing.T) {
	ip := testIP(t)
	p := nextPort()
	cfg := writeConfig(t, siteXML("Mail", `id="1"`, [2]string{"smtp", fmt.Sprintf("%s:%d:", ip, p)}))
	_, c := startLab(t, cfg, 20*time.Millisecond)
	a := addr(ip, p)
	conn, err := textproto.Dial("tcp", a)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, msg, err := conn.ReadResponse(220); err != nil {
		t.Fatalf("greeting: %q %v", msg, err)
	}
	id, _ := conn.Cmd("EHLO probe.test")
	conn.StartResponse(id)
	_, _, err = conn.ReadResponse(250)
	conn.EndResponse(id)
	if err != nil {
		t.Fatalf("EHLO: %v", err)
	}
	for _, cmd := range []struct {
		line string
		code int
	}{{"MAIL FROM:<a@probe.test>", 250}, {"RCPT TO:<b@lab.test>", 250}, {"DATA", 354}, {"Subject: x\r\n\r\nhello\r\n.", 250}, {"QUIT", 221}} {
		if _, err := conn.Cmd("%s", cmd.line); err != nil {
			t.Fatal(err)
		}
		if _, msg, err := conn.ReadResponse(cmd.code); err != nil {
			t.Fatalf("%s: %q %v", cmd.line, msg, err)
		}
	}
	setRespond(t, c, "Mail", "hang")
	raw, err := net.DialTimeout("tcp", a, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	raw.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if n, _ := raw.Read(make([]byte, 64)); n > 0 {
		t.Fatal("hang: SMTP greeted")
	}
}
