package lab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// TestSiteFiveStates: `lab site NAME state` takes each of IIS's five states, the listings
// report it, and only Started has listeners.
func TestSiteFiveStates(t *testing.T) {
	ip, p := testIP(t), nextPort()
	_, c := startLab(t, writeConfig(t, siteXML("Web", `id="1"`, [2]string{"http", fmt.Sprintf("%s:%d:", ip, p)})), 0)
	for _, st := range []platform.SiteState{platform.SiteStarting, platform.SiteStopping, platform.SiteUnknown, platform.SiteStarted, platform.SiteStopped, platform.SiteStarted} {
		mustSite(t, c, labapi.PathSiteState, labapi.SiteRequest{Name: "Web", State: st.String()})
		sites, err := c.Sites(context.Background(), "W3")
		if err != nil {
			t.Fatal(err)
		}
		if len(sites) != 1 || sites[0].State != st || siteOf(t, c, "Web").State != st {
			t.Fatalf("after state %v: listing %+v", st, sites)
		}
		if listening := dialable(addr(ip, p)); listening != (st == platform.SiteStarted) {
			t.Fatalf("state %v: listening %v", st, listening)
		}
	}
	// A start request takes a site out of any other state; a stop request likewise.
	mustSite(t, c, labapi.PathSiteState, labapi.SiteRequest{Name: "Web", State: "Starting"})
	mustSite(t, c, labapi.PathSiteStart, labapi.SiteRequest{Name: "Web", Type: "W3"})
	if s := siteOf(t, c, "Web"); s.State != platform.SiteStarted || !dialable(addr(ip, p)) {
		t.Fatalf("start request on a Starting site: %v", s.State)
	}
	mustSite(t, c, labapi.PathSiteState, labapi.SiteRequest{Name: "Web", State: "Unknown"})
	mustSite(t, c, labapi.PathSiteStop, labapi.SiteRequest{Name: "Web", Type: "W3"})
	if s := siteOf(t, c, "Web"); s.State != platform.SiteStopped {
		t.Fatalf("stop request on an Unknown site: %v", s.State)
	}
}

// TestDualSiteStates: a site with http and ftp bindings has a W3 state and an FTP state,
// each changed by its own requests and its own service, each with its own listeners.
func TestDualSiteStates(t *testing.T) {
	ip, hp, fp := testIP(t), nextPort(), nextPort()
	_, c := startLab(t, writeConfig(t, siteXML("Both", `id="3"`,
		[2]string{"http", fmt.Sprintf("%s:%d:", ip, hp)}, [2]string{"ftp", fmt.Sprintf("%s:%d:", ip, fp)})), 0)
	web, ftp := addr(ip, hp), addr(ip, fp)
	check := func(step string, w3, ftpState platform.SiteState) {
		t.Helper()
		for typ, want := range map[string]platform.SiteState{"W3": w3, "FTP": ftpState} {
			sites, err := c.Sites(context.Background(), typ)
			if err != nil {
				t.Fatal(err)
			}
			if len(sites) != 1 || sites[0].State != want {
				t.Fatalf("%s: %s listing %+v, want state %v", step, typ, sites, want)
			}
		}
		s := siteOf(t, c, "Both")
		want := map[resource.Type]platform.SiteState{resource.W3: w3, resource.FTP: ftpState}
		if s.State != w3 || fmt.Sprint(s.States) != fmt.Sprint(want) {
			t.Fatalf("%s: status state %v states %v, want %v and %v", step, s.State, s.States, w3, want)
		}
		if dialable(web) != (w3 == platform.SiteStarted) || dialable(ftp) != (ftpState == platform.SiteStarted) {
			t.Fatalf("%s: http listening %v, ftp listening %v", step, dialable(web), dialable(ftp))
		}
	}
	check("at start", platform.SiteStarted, platform.SiteStarted)
	mustSite(t, c, labapi.PathSiteStop, labapi.SiteRequest{Name: "Both", Type: "FTP"})
	check("FTP stop request", platform.SiteStarted, platform.SiteStopped)
	mustSite(t, c, labapi.PathSiteStart, labapi.SiteRequest{Name: "Both", Type: "FTP"})
	mustSite(t, c, labapi.PathSiteStop, labapi.SiteRequest{Name: "Both", Type: "W3"})
	check("W3 stop request", platform.SiteStopped, platform.SiteStarted)
	mustSite(t, c, labapi.PathSiteState, labapi.SiteRequest{Name: "Both", State: "Starting", Type: "FTP"})
	check("FTP forced Starting", platform.SiteStopped, platform.SiteStarting)
	mustSite(t, c, labapi.PathSiteState, labapi.SiteRequest{Name: "Both", State: "Started"})
	check("both forced Started", platform.SiteStarted, platform.SiteStarted)
	mustService(t, c, labapi.PathServiceState, labapi.ServiceRequest{Name: "FTPSVC", State: "Stopped"})
	check("FTPSVC stopped", platform.SiteStarted, platform.SiteStopped)
	mustService(t, c, labapi.PathServiceStart, labapi.ServiceRequest{Name: "FTPSVC"})
	check("FTPSVC started", platform.SiteStarted, platform.SiteStarted)

	// The whole status keeps its shape and adds "states" for this site only.
	raw := struct {
		Sites []map[string]json.RawMessage `json:"sites"`
	}{}
	if err := c.Do(context.Background(), http.MethodGet, labapi.PathStatus, nil, nil, &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw.Sites) != 1 || string(raw.Sites[0]["state"]) != `"Started"` || string(raw.Sites[0]["states"]) != `{"FTP":"Started","W3":"Started"}` {
		t.Fatalf("status JSON of a dual site: %v", raw.Sites)
	}
	_, err := c.Site(context.Background(), labapi.PathSiteState, labapi.SiteRequest{Name: "Both", State: "Stopped", Type: "SMTP"})
	var api *labapi.APIError
	if !errors.As(err, &api) || api.Status != http.StatusNotFound {
		t.Fatalf("state for a type the site does not serve: %v, want 404", err)
	}
}

// TestServicePending: with a pending delay, start, stop and continue requests pass
// through StartPending, StopPending and ContinuePending; with none (the default) they
// settle at once.
func TestServicePending(t *testing.T) {
	ip, p := testIP(t), nextPort()
	_, c := startLab(t, writeConfig(t, siteXML("Web", `id="1"`, [2]string{"http", fmt.Sprintf("%s:%d:", ip, p)})), 0)
	svc := func() labapi.Service {
		t.Helper()
		s, err := c.ServiceStatus(context.Background(), "W3SVC")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if s := svc(); s.Pending != 0 || s.State != platform.Running {
		t.Fatalf("default: %+v", s)
	}
	// No delay: each request settles before it is answered.
	for _, step := range []struct {
		path string
		want platform.ServiceState
	}{{labapi.PathServiceStop, platform.Stopped}, {labapi.PathServiceStart, platform.Running}} {
		mustService(t, c, step.path, labapi.ServiceRequest{Name: "W3SVC"})
		if got := svc().State; got != step.want {
			t.Fatalf("%s without delay: %v, want %v", step.path, got, step.want)
		}
	}
	mustService(t, c, labapi.PathServiceState, labapi.ServiceRequest{Name: "W3SVC", State: "Paused"})
	mustService(t, c, labapi.PathServiceContinue, labapi.ServiceRequest{Name: "W3SVC"})
	if got := svc().State; got != platform.Running {
		t.Fatalf("continue without delay: %v", got)
	}

	const delay = 300 * time.Millisecond
	mustService(t, c, labapi.PathServicePending, labapi.ServiceRequest{Name: "W3SVC", Pending: delay.String()})
	if s := svc(); s.Pending != delay {
		t.Fatalf("pending: %+v", s)
	}
	steps := []struct {
		name          string
		path          string
		before        platform.ServiceState
		during, after platform.ServiceState
	}{
		{"stop", labapi.PathServiceStop, platform.Running, platform.StopPending, platform.Stopped},
		{"start", labapi.PathServiceStart, platform.Stopped, platform.StartPending, platform.Running},
		{"continue", labapi.PathServiceContinue, platform.Paused, platform.ContinuePending, platform.Running},
	}
	for _, st := range steps {
		mustService(t, c, labapi.PathServiceState, labapi.ServiceRequest{Name: "W3SVC", State: labapi.ServiceStateWord(st.before)})
		start := time.Now()
		mustService(t, c, st.path, labapi.ServiceRequest{Name: "W3SVC"})
		if got := svc().State; got != st.during && time.Since(start) < delay {
			t.Fatalf("%s: right after the request %v, want %v", st.name, got, st.during)
		}
		// A second request while pending is accepted and changes nothing.
		mustService(t, c, st.path, labapi.ServiceRequest{Name: "W3SVC"})
		waitFor(t, st.name+" to settle", func() bool { return svc().State == st.after })
		if elapsed := time.Since(start); elapsed < delay {
			t.Fatalf("%s settled after %v, before its pending delay %v", st.name, elapsed, delay)
		}
	}
	// The site stopped with StopPending and came back with Running.
	if s := siteOf(t, c, "Web"); s.State != platform.SiteStarted || !dialable(addr(ip, p)) {
		t.Fatalf("site after the service ran again: %v", s.State)
	}
	bad := []struct {
		name string
		path string
		req  labapi.ServiceRequest
		want int
	}{
		{"negative pending", labapi.PathServicePending, labapi.ServiceRequest{Name: "W3SVC", Pending: "-1s"}, http.StatusBadRequest},
		{"pending not a duration", labapi.PathServicePending, labapi.ServiceRequest{Name: "W3SVC", Pending: "soon"}, http.StatusBadRequest},
		{"continue on Stopped", labapi.PathServiceContinue, labapi.ServiceRequest{Name: "SMTPSVC"}, http.StatusConflict},
		{"unknown service", labapi.PathServiceStop, labapi.ServiceRequest{Name: "IISADMIN"}, http.StatusNotFound},
	}
	mustService(t, c, labapi.PathServiceState, labapi.ServiceRequest{Name: "SMTPSVC", State: "Stopped"})
	for _, tc := range bad {
		_, err := c.Service(context.Background(), tc.path, tc.req)
		var api *labapi.APIError
		if !errors.As(err, &api) || api.Status != tc.want {
			t.Errorf("%s: %v, want %d", tc.name, err, tc.want)
		}
	}
	// A stop request while a start is pending is refused, as Windows does.
	mustService(t, c, labapi.PathServiceState, labapi.ServiceRequest{Name: "W3SVC", State: "StartPending"})
	_, err := c.Service(context.Background(), labapi.PathServiceStop, labapi.ServiceRequest{Name: "W3SVC"})
	var api *labapi.APIError
	if !errors.As(err, &api) || api.Status != http.StatusConflict {
		t.Errorf("stop on StartPending: %v, want 409", err)
	}
}
