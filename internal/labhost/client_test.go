package labhost

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/lab"
	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/lab/labtest"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

const hostile = `x"; Remove-Item C:\ -Recurse; "$(whoami)&%COMSPEC%`

// startLab runs a lab host with a hostile-named W3 site and an FTP site on an address of
// the test's own; it returns the host and the web site's binding.
func startLab(t *testing.T) (*lab.Server, string) {
	t.Helper()
	ip := labtest.IP(t)
	web := "http/" + ip + ":8080:www.test"
	cfg := labtest.WriteConfig(t,
		labtest.Site{Name: hostile, ID: 5, Bindings: []string{web}},
		labtest.Site{Name: "Files", ID: 6, Bindings: []string{"ftp/" + ip + ":2121:"}})
	return labtest.Start(t, lab.Options{ConfigFile: cfg, Hostname: "WIN-LAB1", PendingDelay: 20 * time.Millisecond}), web
}

func TestNewUnreachable(t *testing.T) {
	url := "http://" + labtest.IP(t) + ":7780" // an address of this test's own, where nothing listens
	_, err := New(context.Background(), url)
	if err == nil || !strings.Contains(err.Error(), url) || !errors.Is(err, labapi.ErrUnreachable) {
		t.Fatalf("New of an unreachable host: %v", err)
	}
}

func TestNewHungHost(t *testing.T) {
	// A listener that accepts and never answers: New must give up on its own deadline.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = New(ctx, "http://"+l.Addr().String())
	if err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("New of a hung host: %v after %v", err, time.Since(start))
	}
}

func TestOpenDoesNotContactTheHost(t *testing.T) {
	ip := labtest.IP(t)
	c, err := Open("http://" + ip + ":7780") // an address of this test's own, where nothing listens
	if err != nil {
		t.Fatalf("Open of an unreachable host: %v", err)
	}
	if c.Hostname() != ip {
		t.Errorf("Hostname before any call = %q, want the URL's host %q", c.Hostname(), ip)
	}
	// The fault comes with the first call, as the error it is, and $SYS stays the URL's host.
	_, err = c.ServiceState(context.Background(), "W3SVC")
	if !errors.Is(err, labapi.ErrUnreachable) || !strings.Contains(err.Error(), ip+":7780") {
		t.Errorf("ServiceState on an unreachable host: %v, want ErrUnreachable naming the URL", err)
	}
	if c.Hostname() != ip {
		t.Errorf("Hostname after a failed call = %q, want %q", c.Hostname(), ip)
	}
}

func TestOpenLearnsTheHostNameOnce(t *testing.T) {
	srv, _ := startLab(t)
	c, err := Open(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ServiceName(context.Background(), resource.W3); err != nil {
		t.Fatal(err)
	}
	if c.Hostname() != "WIN-LAB1" {
		t.Errorf("Hostname after the first call = %q, want the lab's WIN-LAB1", c.Hostname())
	}
}

func TestOpenKeepsTheFallbackNameWhenTheHostComesBack(t *testing.T) {
	// One action's events all carry one $SYS: a host reached only after the first call
	// failed does not rename it halfway.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	c, err := Open("http://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListSites(context.Background(), resource.W3); !errors.Is(err, labapi.ErrUnreachable) {
		t.Fatalf("ListSites on a closed port: %v", err)
	}
	srv, _ := startLab(t)
	c.api, _ = labapi.NewClient(srv.URL()) // the same client now reaches a lab host
	if _, err := c.ListSites(context.Background(), resource.W3); err != nil {
		t.Fatal(err)
	}
	if c.Hostname() != "127.0.0.1" {
		t.Errorf("Hostname = %q, want the first fallback 127.0.0.1 kept", c.Hostname())
	}
}

func TestClient(t *testing.T) {
	srv, want := startLab(t)
	ctx := context.Background()
	c, err := New(ctx, srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	if c.Hostname() != "WIN-LAB1" {
		t.Errorf("Hostname %q", c.Hostname())
	}
	if n, err := c.ServiceName(ctx, resource.FTP); err != nil || n != "FTPSVC" {
		t.Errorf("ServiceName(FTP) = %q, %v", n, err)
	}
	if st, err := c.ServiceState(ctx, "W3SVC"); err != nil || st != platform.Running {
		t.Errorf("ServiceState(W3SVC) = %v, %v", st, err)
	}
	if _, err := c.ServiceState(ctx, "MSFTPSVC"); !errors.Is(err, platform.ErrNoService) {
		t.Errorf("ServiceState(MSFTPSVC): %v, want ErrNoService", err)
	}
	if err := c.StartService(ctx, "NOSUCHSVC"); !errors.Is(err, platform.ErrNoService) || !errors.Is(err, platform.ErrStartRefused) {
		t.Errorf("StartService(NOSUCHSVC): %v, want ErrNoService and ErrStartRefused", err)
	}
	if err := c.ContinueService(ctx, "NOSUCHSVC"); !errors.Is(err, platform.ErrStartRefused) {
		t.Errorf("ContinueService(NOSUCHSVC): %v, want ErrStartRefused", err)
	}

	sites, err := c.ListSites(ctx, resource.W3)
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) != 1 || sites[0].Name != hostile || sites[0].ID != 5 || sites[0].State != platform.SiteStarted ||
		len(sites[0].Bindings) != 1 || sites[0].Bindings[0].String() != want {
		t.Fatalf("ListSites(W3) = %+v", sites)
	}
	s, ok := platform.FindSite(sites, hostile)
	if !ok {
		t.Fatal("FindSite lost the hostile name")
	}
	if err := c.StopSite(ctx, resource.W3, s); err != nil {
		t.Fatal(err)
	}
	if sites, _ := c.ListSites(ctx, resource.W3); sites[0].State != platform.SiteStopped {
		t.Fatalf("after StopSite: %v", sites[0].State)
	}
	if err := c.StartSite(ctx, resource.W3, s); err != nil {
		t.Fatal(err)
	}
	if sites, _ := c.ListSites(ctx, resource.W3); sites[0].State != platform.SiteStarted {
		t.Fatalf("after StartSite: %v", sites[0].State)
	}
	for _, tc := range []struct {
		name string
		t    resource.Type
		site string
	}{{"unknown name", resource.W3, "Nope"}, {"site of another service", resource.FTP, hostile}} {
		if err := c.StartSite(ctx, tc.t, platform.Site{Name: tc.site}); !errors.Is(err, platform.ErrNoSite) {
			t.Errorf("StartSite %s: %v, want ErrNoSite", tc.name, err)
		}
		if err := c.StopSite(ctx, tc.t, platform.Site{Name: tc.site}); !errors.Is(err, platform.ErrNoSite) {
			t.Errorf("StopSite %s: %v, want ErrNoSite", tc.name, err)
		}
	}

	// The service start goes through StartPending to Running.
	api, _ := labapi.NewClient(srv.URL())
	defer api.Close()
	if _, err := api.Service(ctx, labapi.PathServiceState, labapi.ServiceRequest{Name: "FTPSVC", State: "Stopped"}); err != nil {
		t.Fatal(err)
	}
	if err := c.StartService(ctx, "FTPSVC"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := c.ServiceState(ctx, "FTPSVC")
		if err != nil {
			t.Fatal(err)
		}
		if st == platform.Running {
			break
		}
		if st != platform.StartPending || time.Now().After(deadline) {
			t.Fatalf("FTPSVC after a start request: %v", st)
		}
		time.Sleep(5 * time.Millisecond) // a poll interval
	}
	if ftp, _ := c.ListSites(ctx, resource.FTP); len(ftp) != 1 || ftp[0].State != platform.SiteStarted {
		t.Fatalf("FTP site after FTPSVC ran again: %+v", ftp)
	}
}

// TestContinueServiceHonoursPending: a continue request on a Paused service passes
// through ContinuePending for the service's pending delay, then Running.
func TestContinueServiceHonoursPending(t *testing.T) {
	srv, _ := startLab(t)
	ctx := context.Background()
	c, err := New(ctx, srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	api := labtest.Client(t, srv.URL())
	const delay = 300 * time.Millisecond
	for _, req := range []labapi.ServiceRequest{{Name: "FTPSVC", Pending: delay.String()}, {Name: "FTPSVC", State: "Paused"}} {
		path := labapi.PathServicePending
		if req.State != "" {
			path = labapi.PathServiceState
		}
		if _, err := api.Service(ctx, path, req); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	if err := c.ContinueService(ctx, "FTPSVC"); err != nil {
		t.Fatal(err)
	}
	if st, err := c.ServiceState(ctx, "FTPSVC"); err != nil || st != platform.ContinuePending && time.Since(start) < delay {
		t.Fatalf("right after the continue request: %v, %v; want CONTINUE_PENDING", st, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := c.ServiceState(ctx, "FTPSVC")
		if err != nil {
			t.Fatal(err)
		}
		if st == platform.Running {
			break
		}
		if st != platform.ContinuePending || time.Now().After(deadline) {
			t.Fatalf("FTPSVC after a continue request: %v", st)
		}
		time.Sleep(5 * time.Millisecond) // a poll interval
	}
	if elapsed := time.Since(start); elapsed < delay {
		t.Fatalf("Running after %v, before the pending delay %v", elapsed, delay)
	}
	if err := c.ContinueService(ctx, "SMTPSVC"); err != nil {
		t.Fatalf("continue on a Running service: %v", err)
	}
	if _, err := api.Service(ctx, labapi.PathServiceState, labapi.ServiceRequest{Name: "SMTPSVC", State: "Stopped"}); err != nil {
		t.Fatal(err)
	}
	if err := c.ContinueService(ctx, "SMTPSVC"); err == nil {
		t.Fatal("continue on a Stopped service: no error")
	}
}

// TestPools: the listing carries each W3 site's pools, root application first; PoolState
// reads one pool, StartPool starts it without waiting, and a missing pool wraps
// platform.ErrNoPool for both.
func TestPools(t *testing.T) {
	ip := labtest.IP(t)
	cfg := labtest.WriteConfig(t,
		labtest.Site{Name: "Shop", ID: 1, Bindings: []string{"http/" + ip + ":8080:"}, Pool: "ShopPool"},
		labtest.Site{Name: "Files", ID: 2, Bindings: []string{"ftp/" + ip + ":2121:"}})
	srv := labtest.Start(t, lab.Options{ConfigFile: cfg, Hostname: "WIN-LAB1"})
	c, err := New(context.Background(), srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sites, err := c.ListSites(ctx, resource.W3)
	if err != nil || len(sites) != 1 || strings.Join(sites[0].Pools, ",") != "ShopPool" {
		t.Fatalf("W3 listing %+v, %v", sites, err)
	}
	ftp, err := c.ListSites(ctx, resource.FTP)
	if err != nil || len(ftp) != 1 || ftp[0].Pools != nil {
		t.Fatalf("FTP listing %+v, %v: want no pools", ftp, err)
	}
	if st, err := c.PoolState(ctx, "ShopPool"); err != nil || st != platform.PoolStarted {
		t.Fatalf("PoolState = %v, %v", st, err)
	}
	api := labtest.Client(t, srv.URL())
	if _, err := api.PoolChange(ctx, labapi.PathPoolState, labapi.PoolRequest{Name: "ShopPool", State: "Stopped"}); err != nil {
		t.Fatal(err)
	}
	if st, err := c.PoolState(ctx, "shoppool"); err != nil || st != platform.PoolStopped {
		t.Fatalf("PoolState after a stop = %v, %v", st, err)
	}
	if err := c.StartPool(ctx, "ShopPool"); err != nil {
		t.Fatal(err)
	}
	if st, _ := c.PoolState(ctx, "ShopPool"); st != platform.PoolStarted {
		t.Fatalf("PoolState after StartPool = %v", st)
	}
	if _, err := c.PoolState(ctx, "Nope"); !errors.Is(err, platform.ErrNoPool) {
		t.Errorf("PoolState of a missing pool: %v", err)
	}
	if err := c.StartPool(ctx, "Nope"); !errors.Is(err, platform.ErrNoPool) {
		t.Errorf("StartPool of a missing pool: %v", err)
	}
}
