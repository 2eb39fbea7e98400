package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// httpGet sends one GET to addr with the given Host header and returns status and body.
func httpGet(t *testing.T, address, host string, timeout time.Duration) (int, string, error) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, "http://"+address+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	c := &http.Client{Timeout: timeout, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

func TestAutoStartAndStopCascade(t *testing.T) {
	ip := testIP(t)
	pa, pb := nextPort(), nextPort()
	cfg := writeConfig(t,
		siteXML("Auto", `id="1"`, [2]string{"http", fmt.Sprintf("%s:%d:", ip, pa)}),
		siteXML("Manual", `id="2" serverAutoStart="false"`, [2]string{"http", fmt.Sprintf("%s:%d:", ip, pb)}))
	_, c := startLab(t, cfg, 20*time.Millisecond)
	if !dialable(addr(ip, pa)) || dialable(addr(ip, pb)) {
		t.Fatalf("at start: Auto should listen and Manual should not")
	}
	if s := siteOf(t, c, "Manual"); s.State != platform.SiteStopped || s.AutoStart {
		t.Fatalf("Manual at start: %+v", s)
	}

	mustService(t, c, labapi.PathServiceState, labapi.ServiceRequest{Name: "W3SVC", State: "Stopped"})
	if s := siteOf(t, c, "Auto"); s.State != platform.SiteStopped {
		t.Fatalf("Auto after W3SVC stopped: %v", s.State)
	}
	if dialable(addr(ip, pa)) {
		t.Fatal("Auto still listens after W3SVC stopped")
	}
	// Starting a site needs its service.
	_, err := c.Site(context.Background(), labapi.PathSiteState, labapi.SiteRequest{Name: "Auto", State: "Started"})
	var api *labapi.APIError
	if !errors.As(err, &api) || api.Status != http.StatusConflict || !strings.Contains(err.Error(), "W3SVC") {
		t.Fatalf("forcing a site of a stopped service: %v", err)
	}

	mustService(t, c, labapi.PathServiceStart, labapi.ServiceRequest{Name: "W3SVC"})
	waitFor(t, "W3SVC to run", func() bool { return serviceState(t, c, "W3SVC") == platform.Running })
	if s := siteOf(t, c, "Auto"); s.State != platform.SiteStarted || !dialable(addr(ip, pa)) {
		t.Fatalf("Auto after W3SVC ran again: %v", s.State)
	}
	if s := siteOf(t, c, "Manual"); s.State != platform.SiteStopped || dialable(addr(ip, pb)) {
		t.Fatalf("Manual after W3SVC ran again: %v", s.State)
	}

	// A stop request keeps serverAutoStart, so the site comes back with its service (IIS).
	mustSite(t, c, labapi.PathSiteStop, labapi.SiteRequest{Name: "Auto", Type: "W3"})
	if dialable(addr(ip, pa)) {
		t.Fatal("Auto listens after a stop request")
	}
	mustService(t, c, labapi.PathServiceState, labapi.ServiceRequest{Name: "W3SVC", State: "StopPending"})
	mustService(t, c, labapi.PathServiceState, labapi.ServiceRequest{Name: "W3SVC", State: "Running"})
	if s := siteOf(t, c, "Auto"); s.State != platform.SiteStarted || !dialable(addr(ip, pa)) {
		t.Fatalf("Auto after W3SVC forced Running: %v", s.State)
	}
}

func TestSiteRequests(t *testing.T) {
	ip := testIP(t)
	p := nextPort()
	cfg := writeConfig(t, siteXML("Web", `id="7"`, [2]string{"http", fmt.Sprintf("%s:%d:", ip, p)}))
	_, c := startLab(t, cfg, 20*time.Millisecond)
	a := addr(ip, p)
	steps := []struct {
		name      string
		path      string
		req       labapi.SiteRequest
		wantErr   int // HTTP status, 0 for success
		wantState platform.SiteState
	}{
		{"stop request", labapi.PathSiteStop, labapi.SiteRequest{Name: "Web", Type: "W3"}, 0, platform.SiteStopped},
		{"start request", labapi.PathSiteStart, labapi.SiteRequest{Name: "web", Type: "WEB"}, 0, platform.SiteStarted},
		{"on-stop ignore", labapi.PathSiteOnStop, labapi.SiteRequest{Name: "Web", Mode: "ignore"}, 0, platform.SiteStarted},
		{"ignored stop request", labapi.PathSiteStop, labapi.SiteRequest{Name: "Web", Type: "W3"}, 0, platform.SiteStarted},
		{"forced stop", labapi.PathSiteState, labapi.SiteRequest{Name: "Web", State: "Stopped"}, 0, platform.SiteStopped},
		{"on-start ignore", labapi.PathSiteOnStart, labapi.SiteRequest{Name: "Web", Mode: "ignore"}, 0, platform.SiteStopped},
		{"ignored start request", labapi.PathSiteStart, labapi.SiteRequest{Name: "Web", Type: "W3"}, 0, platform.SiteStopped},
		{"forced start", labapi.PathSiteState, labapi.SiteRequest{Name: "Web", State: "Started"}, 0, platform.SiteStarted},
		{"start for the wrong service", labapi.PathSiteStart, labapi.SiteRequest{Name: "Web", Type: "FTP"}, http.StatusNotFound, platform.SiteStarted},
		{"unknown site", labapi.PathSiteStop, labapi.SiteRequest{Name: "Nope", Type: "W3"}, http.StatusNotFound, platform.SiteStarted},
		{"bad state", labapi.PathSiteState, labapi.SiteRequest{Name: "Web", State: "Paused"}, http.StatusBadRequest, platform.SiteStarted},
		{"bad mode", labapi.PathSiteRespond, labapi.SiteRequest{Name: "Web", Mode: "sulk"}, http.StatusBadRequest, platform.SiteStarted},
	}
	for _, st := range steps {
		_, err := c.Site(context.Background(), st.path, st.req)
		var api *labapi.APIError
		if st.wantErr == 0 && err != nil || st.wantErr != 0 && (!errors.As(err, &api) || api.Status != st.wantErr) {
			t.Fatalf("%s: error %v, want status %d", st.name, err, st.wantErr)
		}
		if got := siteOf(t, c, "Web").State; got != st.wantState {
			t.Fatalf("%s: state %v, want %v", st.name, got, st.wantState)
		}
		if listening := dialable(a); listening != (st.wantState == platform.SiteStarted) {
			t.Fatalf("%s: listening %v with state %v", st.name, listening, st.wantState)
		}
	}
}

func TestAddDeleteAndBindConflicts(t *testing.T) {
	ip := testIP(t)
	p := nextPort()
	_, c := startLab(t, writeConfig(t), 20*time.Millisecond)
	b := fmt.Sprintf("http/%s:%d:", ip, p)
	msg := mustSite(t, c, labapi.PathSiteAdd, labapi.SiteRequest{Name: "One", Type: "W3", Bindings: []string{b}})
	if !strings.Contains(msg, "id 1") || !strings.Contains(msg, "Started") {
		t.Errorf("add: %q", msg)
	}
	if !dialable(addr(ip, p)) {
		t.Fatal("added site does not listen")
	}
	// Same binding: added, but it cannot start (IIS: binding in use).
	msg = mustSite(t, c, labapi.PathSiteAdd, labapi.SiteRequest{Name: "Two", Type: "W3", Bindings: []string{b}})
	if !strings.Contains(msg, "Stopped") || !strings.Contains(msg, `"One"`) {
		t.Errorf("add of a clashing site: %q", msg)
	}
	if s := siteOf(t, c, "Two"); s.ID != 2 || s.State != platform.SiteStopped || s.LastError == "" {
		t.Errorf("clashing site: %+v", s)
	}
	_, err := c.Site(context.Background(), labapi.PathSiteState, labapi.SiteRequest{Name: "Two", State: "Started"})
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("forcing the clashing site: %v", err)
	}
	bad := []struct {
		name string
		req  labapi.SiteRequest
	}{
		{"duplicate name", labapi.SiteRequest{Name: "ONE", Type: "W3", Bindings: []string{fmt.Sprintf("http/%s:%d:x", ip, p)}}},
		{"duplicate id", labapi.SiteRequest{Name: "Three", Type: "W3", ID: 1, Bindings: []string{fmt.Sprintf("http/%s:%d:y", ip, p)}}},
		{"type disagrees", labapi.SiteRequest{Name: "Three", Type: "FTP", Bindings: []string{b}}},
		{"malformed binding", labapi.SiteRequest{Name: "Three", Type: "W3", Bindings: []string{"http/127.0.0.1:80"}}},
		{"foreign protocol", labapi.SiteRequest{Name: "Three", Type: "W3", Bindings: []string{"net.tcp/808:*"}}},
		{"non-loopback address", labapi.SiteRequest{Name: "Three", Type: "W3", Bindings: []string{"http/10.1.2.3:80:"}}},
		{"unknown type", labapi.SiteRequest{Name: "Three", Type: "GOPHER", Bindings: []string{b}}},
		{"no binding", labapi.SiteRequest{Name: "Three", Type: "W3"}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Site(context.Background(), labapi.PathSiteAdd, tc.req)
			var api *labapi.APIError
			if !errors.As(err, &api) || api.Status != http.StatusBadRequest {
				t.Fatalf("error %v, want 400", err)
			}
		})
	}
	mustSite(t, c, labapi.PathSiteDelete, labapi.SiteRequest{Name: "One"})
	if dialable(addr(ip, p)) {
		t.Fatal("deleted site still listens")
	}
	mustSite(t, c, labapi.PathSiteState, labapi.SiteRequest{Name: "Two", State: "Started"})
	if !dialable(addr(ip, p)) {
		t.Fatal("Two does not listen once One is gone")
	}
	// --stopped: created Stopped, not auto-starting.
	p2 := nextPort()
	mustSite(t, c, labapi.PathSiteAdd, labapi.SiteRequest{Name: "Quiet", Type: "FTP", Stopped: true, Bindings: []string{fmt.Sprintf("ftp/%s:%d:", ip, p2)}})
	if s := siteOf(t, c, "Quiet"); s.State != platform.SiteStopped || s.AutoStart || s.ID != 1 || dialable(addr(ip, p2)) {
		t.Errorf("site added --stopped: %+v", s)
	}
}

// TestNonLoopbackSiteStaysStopped: one site bound to an address the lab cannot hold
// does not refuse the whole file; it is loaded, left Stopped with a warning naming it,
// and the other sites serve (CLI.md, lab serve --config). The binding's shape,
// 192.168.1.10:80 with a host header beside a site on All Unassigned, is the one of
// Microsoft's <bindings> reference (learn.microsoft.com/iis/configuration/
// system.applicationhost/sites/site/bindings/binding).
func TestNonLoopbackSiteStaysStopped(t *testing.T) {
	if thisNamespace().Named != "" {
		t.Skip("inside a named network namespace the lab may bind any address")
	}
	const ip = "127.0.0.11"
	p := freePort(t, ip)
	cfg := writeConfig(t,
		siteXML("Outside", `id="1"`, [2]string{"http", "192.168.1.10:80:www.contoso.com"}),
		siteXML("Inside", `id="2"`, [2]string{"http", fmt.Sprintf("%s:%d:", ip, p)}),
		siteXML("Manual Outside", `id="3" serverAutoStart="false"`, [2]string{"https", "[2001:db8::10]:443:"}))
	srv, c := startLab(t, cfg, 0)
	// Named even when it would not have started by itself: the warning tells why it never can.
	want := []string{
		`site "Outside" stays Stopped: binding http/192.168.1.10:80:www.contoso.com: the lab host listens only on loopback addresses`,
		`site "Manual Outside" stays Stopped: binding https/[2001:db8::10]:443:: the lab host listens only on loopback addresses`,
	}
	if w := srv.Warnings(); len(w) != 2 || !strings.HasPrefix(w[0], want[0]) || !strings.HasPrefix(w[1], want[1]) {
		t.Errorf("warnings %q, want two starting %q", w, want)
	}
	if s := siteOf(t, c, "Outside"); s.State != platform.SiteStopped {
		t.Errorf("Outside: %+v", s)
	}
	if s := siteOf(t, c, "Inside"); s.State != platform.SiteStarted || !dialable(addr(ip, p)) {
		t.Errorf("Inside: %+v", s)
	}
	// Starting it by hand fails the same way, and changes nothing.
	if _, err := c.Site(context.Background(), labapi.PathSiteStart, labapi.SiteRequest{Name: "Outside", Type: "W3"}); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("start Outside: %v", err)
	}
}

func TestNonLoopbackRefused(t *testing.T) {
	for _, listen := range []string{"0.0.0.0:0", ":0", "10.0.0.1:7780", "[::]:0"} {
		_, err := Start(context.Background(), Options{Listen: listen})
		if !errors.Is(err, ErrBadOptions) || !strings.Contains(err.Error(), "loopback") && !strings.Contains(err.Error(), "IP:PORT") {
			t.Errorf("--listen %s: %v", listen, err)
		}
	}
}

func TestUnassignedAndIPv6Bindings(t *testing.T) {
	_, c := startLab(t, writeConfig(t), 20*time.Millisecond)
	p := freePort(t, "127.0.0.1")
	mustSite(t, c, labapi.PathSiteAdd, labapi.SiteRequest{Name: "Any", Type: "W3", Bindings: []string{fmt.Sprintf("http/*:%d:any.test", p)}})
	if code, body, err := httpGet(t, addr("127.0.0.1", p), "any.test", 5*time.Second); err != nil || code != 200 || !strings.Contains(body, `"Any"`) {
		t.Fatalf("* binding on 127.0.0.1: %d %q %v", code, body, err)
	}
	l, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	}
	p6 := l.Addr().(*net.TCPAddr).Port
	l.Close()
	mustSite(t, c, labapi.PathSiteAdd, labapi.SiteRequest{Name: "Six", Type: "SMTP", Bindings: []string{fmt.Sprintf("smtp/[::1]:%d:", p6)}})
	if !dialable(addr("::1", p6)) {
		t.Fatal("[::1] binding does not listen")
	}
}

// TestAddWebSiteWithFTPPublishing: `lab site NAME add --type W3` takes ftp bindings too, as
// IIS 7's "Add FTP Publishing" adds an ftp binding to a web site: the site then has a W3
// and an FTP state, each set on its own, and serves both protocols.
func TestAddWebSiteWithFTPPublishing(t *testing.T) {
	ip := testIP(t)
	ph, pf := nextPort(), nextPort()
	// A W3 site with id 1 and an FTP site with id 2, as on the default host: the new
	// site's id must be free for both of its types.
	_, c := startLab(t, writeConfig(t,
		siteXML("Web", `id="1"`, [2]string{"http", fmt.Sprintf("%s:%d:", ip, nextPort())}),
		siteXML("Files", `id="2"`, [2]string{"ftp", fmt.Sprintf("%s:%d:", ip, nextPort())})), 20*time.Millisecond)
	ctx := context.Background()
	if _, err := c.Site(ctx, labapi.PathSiteAdd, labapi.SiteRequest{Name: "Both", Type: "W3",
		Bindings: []string{fmt.Sprintf("http/%s:%d:", ip, ph), fmt.Sprintf("ftp/%s:%d:", ip, pf)}}); err != nil {
		t.Fatalf("adding a W3 site with an ftp binding: %v", err)
	}
	if !dialable(addr(ip, ph)) || !dialable(addr(ip, pf)) {
		t.Fatal("the site does not serve both its http and its ftp binding")
	}
	if _, err := c.Site(ctx, labapi.PathSiteState, labapi.SiteRequest{Name: "Both", State: "Stopping", Type: "FTP"}); err != nil {
		t.Fatalf("setting the FTP state: %v", err)
	}
	s := siteOf(t, c, "Both")
	if s.ID != 3 {
		t.Errorf("id %d, want 3 (1 and 2 are taken by the web and the FTP site)", s.ID)
	}
	if s.States[resource.FTP] != platform.SiteStopping || s.States[resource.W3] != platform.SiteStarted {
		t.Fatalf("states %v, want FTP Stopping and W3 Started", s.States)
	}
	// The other way round stays refused: an FTP site has no http binding.
	if _, err := c.Site(ctx, labapi.PathSiteAdd, labapi.SiteRequest{Name: "X", Type: "FTP",
		Bindings: []string{fmt.Sprintf("http/%s:%d:", ip, nextPort())}}); err == nil {
		t.Fatal("an FTP site with an http binding was accepted")
	}
}
