package lab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/clock/clocktest"
	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/platform"
)

// poolConfig is an applicationHost.config with application pools, in the shape IIS
// writes them (applicationPools/add with autoStart, sites/site/application with
// applicationPool, sites/applicationDefaults), as in the IIS Express file of
// testdata/iisexpress-applicationhost.config.
func poolConfig(t *testing.T, ip string, port int) string {
	t.Helper()
	doc := "\xef\xbb\xbf" + fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <system.applicationHost>
    <applicationPools>
      <add name="DefaultAppPool" />
      <add name="ShopPool" autoStart="true" />
      <add name="IdlePool" autoStart="false" />
    </applicationPools>
    <sites>
      <site name="Shop" id="1">
        <application path="/api" applicationPool="IdlePool" />
        <application path="/" applicationPool="ShopPool" />
        <bindings>
          <binding protocol="http" bindingInformation="%s:%d:" />
        </bindings>
      </site>
      <applicationDefaults applicationPool="DefaultAppPool" />
    </sites>
  </system.applicationHost>
</configuration>
`, ip, port)
	path := filepath.Join(t.TempDir(), "applicationHost.config")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// startPoolLab starts a lab on poolConfig with a fake clock for rapid-fail protection.
func startPoolLab(t *testing.T) (*labapi.Client, *clocktest.Fake, string) {
	t.Helper()
	ip, port := testIP(t), nextPort()
	clk := clocktest.New(time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC))
	srv, err := Start(context.Background(), Options{Listen: "127.0.0.1:0", ConfigFile: poolConfig(t, ip, port), Hostname: "LABHOST", Clock: clk})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	c, err := labapi.NewClient(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c, clk, addr(ip, port)
}

func mustPool(t *testing.T, c *labapi.Client, path string, req labapi.PoolRequest) string {
	t.Helper()
	res, err := c.PoolChange(context.Background(), path, req)
	if err != nil {
		t.Fatalf("%s %+v: %v", path, req, err)
	}
	return res.Message
}

func poolState(t *testing.T, c *labapi.Client, name string) platform.PoolState {
	t.Helper()
	p, err := c.Pool(context.Background(), name)
	if err != nil {
		t.Fatalf("pool %q: %v", name, err)
	}
	return p.State
}

// wantAnswer asserts one GET of the site's binding answers status.
func wantAnswer(t *testing.T, address string, status int, bodyHas string) {
	t.Helper()
	got, body, err := httpGet(t, address, "", 5*time.Second)
	if err != nil || got != status || !strings.Contains(body, bodyHas) {
		t.Fatalf("GET %s = %d %q, %v; want %d with %q", address, got, body, err, status, bodyHas)
	}
}

// TestRapidFailProtectionTripsOnFifthCrash: IIS's defaults (applicationPools/add/failure:
// rapidFailProtection true, rapidFailProtectionMaxCrashes 5, rapidFailProtectionInterval
// 00:05:00) stop the pool on the fifth failure within five minutes, not the fourth; the
// started site then answers HTTP.sys's 503 while it stays Started.
func TestRapidFailProtectionTripsOnFifthCrash(t *testing.T) {
	c, _, address := startPoolLab(t)
	wantAnswer(t, address, http.StatusOK, `site "Shop"`)
	mustPool(t, c, labapi.PathPoolCrash, labapi.PoolRequest{Name: "ShopPool", Count: 4})
	if st := poolState(t, c, "ShopPool"); st != platform.PoolStarted {
		t.Fatalf("after 4 crashes: %v, want Started", st)
	}
	wantAnswer(t, address, http.StatusOK, `site "Shop"`)
	msg := mustPool(t, c, labapi.PathPoolCrash, labapi.PoolRequest{Name: "ShopPool"})
	if st := poolState(t, c, "ShopPool"); st != platform.PoolStopped {
		t.Fatalf("after the 5th crash: %v (%s), want Stopped", st, msg)
	}
	if s := siteOf(t, c, "Shop"); s.State != platform.SiteStarted {
		t.Fatalf("site after its pool stopped: %v, want Started", s.State)
	}
	wantAnswer(t, address, http.StatusServiceUnavailable, "HTTP Error 503. The service is unavailable.")

	// A start brings it back, with a fresh count: four more crashes do not stop it.
	mustPool(t, c, labapi.PathPoolStart, labapi.PoolRequest{Name: "ShopPool"})
	wantAnswer(t, address, http.StatusOK, `site "Shop"`)
	mustPool(t, c, labapi.PathPoolCrash, labapi.PoolRequest{Name: "ShopPool", Count: 4})
	if st := poolState(t, c, "ShopPool"); st != platform.PoolStarted {
		t.Fatalf("4 crashes after a start: %v, want Started", st)
	}
}

// TestRapidFailProtectionWindow: failures older than rapidFailProtectionInterval do not
// count, so five crashes spread over more than five minutes leave the pool Started.
func TestRapidFailProtectionWindow(t *testing.T) {
	c, clk, _ := startPoolLab(t)
	mustPool(t, c, labapi.PathPoolCrash, labapi.PoolRequest{Name: "ShopPool", Count: 4})
	clk.After(5 * time.Minute)
	mustPool(t, c, labapi.PathPoolCrash, labapi.PoolRequest{Name: "ShopPool"})
	if st := poolState(t, c, "ShopPool"); st != platform.PoolStarted {
		t.Fatalf("crash 5 five minutes after the first four: %v, want Started", st)
	}
	clk.After(time.Minute)
	mustPool(t, c, labapi.PathPoolCrash, labapi.PoolRequest{Name: "ShopPool", Count: 3})
	if st := poolState(t, c, "ShopPool"); st != platform.PoolStarted {
		t.Fatalf("4 crashes within the window: %v, want Started", st)
	}
	mustPool(t, c, labapi.PathPoolCrash, labapi.PoolRequest{Name: "ShopPool"})
	if st := poolState(t, c, "ShopPool"); st != platform.PoolStopped {
		t.Fatalf("5 crashes within the window: %v, want Stopped", st)
	}
	// A stopped pool has no worker process to crash.
	if _, err := c.PoolChange(context.Background(), labapi.PathPoolCrash, labapi.PoolRequest{Name: "ShopPool"}); !isStatus(err, http.StatusConflict) {
		t.Errorf("crash of a stopped pool: %v, want 409", err)
	}
}

// TestPoolStatesAnd503: any state but Started of the root application's pool gives 503;
// a pool of another application does not; on-start ignore keeps a start request from
// doing anything.
func TestPoolStatesAnd503(t *testing.T) {
	c, _, address := startPoolLab(t)
	if st := poolState(t, c, "IdlePool"); st != platform.PoolStopped {
		t.Fatalf("IdlePool (autoStart false) at start: %v, want Stopped", st)
	}
	wantAnswer(t, address, http.StatusOK, `site "Shop"`) // IdlePool serves /api only
	for _, st := range []string{"Starting", "Stopping", "Unknown", "Stopped"} {
		mustPool(t, c, labapi.PathPoolState, labapi.PoolRequest{Name: "ShopPool", State: st})
		wantAnswer(t, address, http.StatusServiceUnavailable, "Service Unavailable")
	}
	mustPool(t, c, labapi.PathPoolOnStart, labapi.PoolRequest{Name: "ShopPool", Mode: "ignore"})
	mustPool(t, c, labapi.PathPoolStart, labapi.PoolRequest{Name: "ShopPool"})
	if st := poolState(t, c, "ShopPool"); st != platform.PoolStopped {
		t.Fatalf("start with on-start ignore: %v, want Stopped", st)
	}
	mustPool(t, c, labapi.PathPoolState, labapi.PoolRequest{Name: "ShopPool", State: "Started"})
	wantAnswer(t, address, http.StatusOK, `site "Shop"`)

	// A site that stops and starts again while its pool is stopped still answers 503.
	mustPool(t, c, labapi.PathPoolState, labapi.PoolRequest{Name: "ShopPool", State: "Stopped"})
	mustSite(t, c, labapi.PathSiteStop, labapi.SiteRequest{Name: "Shop", Type: "W3"})
	mustSite(t, c, labapi.PathSiteStart, labapi.SiteRequest{Name: "Shop", Type: "W3"})
	wantAnswer(t, address, http.StatusServiceUnavailable, "Service Unavailable")
}

// TestPoolStatusAndRequests: the status lists each pool with its sites, and each site its
// pools, root application first; bad requests are refused.
func TestPoolStatusAndRequests(t *testing.T) {
	c, _, _ := startPoolLab(t)
	st, err := c.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range st.Pools {
		got = append(got, fmt.Sprintf("%s %s %v", p.Name, p.State, p.Sites))
	}
	want := []string{"DefaultAppPool Started []", "ShopPool Started [Shop]", "IdlePool Stopped [Shop]"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("pools %q, want %q", got, want)
	}
	if s := siteOf(t, c, "Shop"); strings.Join(s.Pools, ",") != "ShopPool,IdlePool" {
		t.Errorf("Shop's pools %q, want ShopPool first", s.Pools)
	}

	ip := testIP(t)
	mustPool(t, c, labapi.PathPoolAdd, labapi.PoolRequest{Name: "Blog", Stopped: true})
	mustSite(t, c, labapi.PathSiteAdd, labapi.SiteRequest{Name: "Blog", Type: "W3", Bindings: []string{fmt.Sprintf("http/%s:%d:", ip, nextPort())}, Pool: "blog"})
	if s := siteOf(t, c, "Blog"); strings.Join(s.Pools, ",") != "Blog" {
		t.Errorf("Blog's pools %q, want [Blog]", s.Pools)
	}
	mustSite(t, c, labapi.PathSiteAdd, labapi.SiteRequest{Name: "Plain", Type: "W3", Bindings: []string{fmt.Sprintf("http/%s:%d:", ip, nextPort())}})
	if s := siteOf(t, c, "Plain"); strings.Join(s.Pools, ",") != "DefaultAppPool" {
		t.Errorf("Plain's pools %q, want [DefaultAppPool]", s.Pools)
	}
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"duplicate pool", ask(c, labapi.PathPoolAdd, labapi.PoolRequest{Name: "SHOPPOOL"}), http.StatusBadRequest},
		{"unknown pool", ask(c, labapi.PathPoolStart, labapi.PoolRequest{Name: "Nope"}), http.StatusNotFound},
		{"bad state", ask(c, labapi.PathPoolState, labapi.PoolRequest{Name: "ShopPool", State: "Running"}), http.StatusBadRequest},
		{"bad mode", ask(c, labapi.PathPoolOnStart, labapi.PoolRequest{Name: "ShopPool", Mode: "fail"}), http.StatusBadRequest},
		{"crash -1", ask(c, labapi.PathPoolCrash, labapi.PoolRequest{Name: "ShopPool", Count: -1}), http.StatusBadRequest},
	} {
		if !isStatus(tc.err, tc.want) {
			t.Errorf("%s: %v, want %d", tc.name, tc.err, tc.want)
		}
	}
	_, err = c.Site(context.Background(), labapi.PathSiteAdd, labapi.SiteRequest{Name: "X", Type: "W3", Bindings: []string{fmt.Sprintf("http/%s:%d:", ip, nextPort())}, Pool: "Nope"})
	if !isStatus(err, http.StatusBadRequest) {
		t.Errorf("site add with a missing pool: %v, want 400", err)
	}
	_, err = c.Site(context.Background(), labapi.PathSiteAdd, labapi.SiteRequest{Name: "F", Type: "FTP", Bindings: []string{fmt.Sprintf("ftp/%s:%d:", ip, nextPort())}, Pool: "ShopPool"})
	if !isStatus(err, http.StatusBadRequest) {
		t.Errorf("FTP site add with a pool: %v, want 400", err)
	}
}

func ask(c *labapi.Client, path string, req labapi.PoolRequest) error {
	_, err := c.PoolChange(context.Background(), path, req)
	return err
}

func isStatus(err error, status int) bool {
	var api *labapi.APIError
	return errors.As(err, &api) && api.Status == status
}

// TestRealApplicationHostConfigPools reads the pools of the IIS Express file (from the
// public repository 0GiS0/webappwithazuread, .vs/config/applicationhost.config): five
// pools with autoStart="true"; WebSite1's root application names no pool and takes
// sites/applicationDefaults' Clr4IntegratedAppPool, WebAppWithAzureAD's names it.
func TestRealApplicationHostConfigPools(t *testing.T) {
	data, err := os.ReadFile("testdata/iisexpress-applicationhost.config")
	if err != nil {
		t.Fatal(err)
	}
	pools, bySite, err := parseAppPools(data)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range pools {
		names = append(names, fmt.Sprintf("%s:%v:%v:%d:%v", p.name, p.state, p.rapidFail, p.maxCrashes, p.interval))
	}
	want := "Clr4IntegratedAppPool:Started:true:5:5m0s Clr4ClassicAppPool:Started:true:5:5m0s Clr2IntegratedAppPool:Started:true:5:5m0s Clr2ClassicAppPool:Started:true:5:5m0s UnmanagedClassicAppPool:Started:true:5:5m0s"
	if strings.Join(names, " ") != want {
		t.Errorf("pools\n%s\nwant\n%s", strings.Join(names, " "), want)
	}
	if got := fmt.Sprint(bySite); got != "map[webappwithazuread:[Clr4IntegratedAppPool] website1:[Clr4IntegratedAppPool]]" {
		t.Errorf("sites' pools %s", got)
	}
}

// TestAppPoolsConfigShapes: the failure element's settings, site-level applicationDefaults
// (both in IIS's schema for applicationPools/add and sites/site), and malformed values.
func TestAppPoolsConfigShapes(t *testing.T) {
	doc := `<configuration><system.applicationHost>
  <applicationPools>
    <add name="Fragile"><failure rapidFailProtection="true" rapidFailProtectionInterval="00:01:00" rapidFailProtectionMaxCrashes="2" /></add>
    <add name="Tough"><failure rapidFailProtection="false" /></add>
  </applicationPools>
  <sites>
    <site name="A" id="1"><applicationDefaults applicationPool="Fragile" /><application path="/" /><application path="/b" applicationPool="Tough" /><application path="/c" applicationPool="fragile" /></site>
    <site name="B" id="2"><application path="/" /></site>
    <site name="C" id="3" />
  </sites>
</system.applicationHost></configuration>`
	pools, bySite, err := parseAppPools([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if p := pools[0]; !p.rapidFail || p.maxCrashes != 2 || p.interval != time.Minute {
		t.Errorf("Fragile: %+v", p)
	}
	if p := pools[1]; p.rapidFail {
		t.Errorf("Tough: %+v", p)
	}
	if got := fmt.Sprint(bySite); got != "map[a:[Fragile Tough] b:[DefaultAppPool]]" {
		t.Errorf("sites' pools %s", got)
	}
	for _, bad := range []string{
		`<add name="X" autoStart="maybe" />`,
		`<add name="X"><failure rapidFailProtectionMaxCrashes="0" /></add>`,
		`<add name="X"><failure rapidFailProtectionInterval="5 minutes" /></add>`,
		`<add name="X" /><add name="x" />`,
		`<add />`,
	} {
		doc := `<configuration><system.applicationHost><applicationPools>` + bad + `</applicationPools></system.applicationHost></configuration>`
		if _, _, err := parseAppPools([]byte(doc)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// TestDeletePool: a pool some site's application uses cannot be deleted (409, as IIS
// refuses); once no site uses it, it is gone from the host.
func TestDeletePool(t *testing.T) {
	c, _, _ := startPoolLab(t)
	if err := ask(c, labapi.PathPoolDelete, labapi.PoolRequest{Name: "shoppool"}); !isStatus(err, http.StatusConflict) {
		t.Errorf("deleting a pool in use: %v, want 409", err)
	}
	mustPool(t, c, labapi.PathPoolAdd, labapi.PoolRequest{Name: "Spare"})
	if msg := mustPool(t, c, labapi.PathPoolDelete, labapi.PoolRequest{Name: "spare"}); !strings.Contains(msg, `"Spare" deleted`) {
		t.Errorf("delete: %q", msg)
	}
	if _, err := c.Pool(context.Background(), "Spare"); !isStatus(err, http.StatusNotFound) {
		t.Errorf("the deleted pool is still there: %v", err)
	}
}
