package labhost

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	labhost "github.com/iiskit/iiskit/internal/lab"
	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

const hostile = `x"; Remove-Item C:\ -Recurse; "$(whoami)&%COMSPEC%`

func freePort(t *testing.T, ip string) int {
	t.Helper()
	l, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startLab runs a lab host with a hostile-named W3 site and an FTP site on 127.0.0.30.
func startLab(t *testing.T) (*labhost.Server, int) {
	t.Helper()
	wp, fp := freePort(t, "127.0.0.30"), freePort(t, "127.0.0.30")
	var name strings.Builder
	if err := xml.EscapeText(&name, []byte(hostile)); err != nil {
		t.Fatal(err)
	}
	doc := fmt.Sprintf("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration><system.applicationHost><sites>"+
		"<site name=\"%s\" id=\"5\"><bindings><binding protocol=\"http\" bindingInformation=\"127.0.0.30:%d:www.test\" /></bindings></site>"+
		"<site name=\"Files\" id=\"6\"><bindings><binding protocol=\"ftp\" bindingInformation=\"127.0.0.30:%d:\" /></bindings></site>"+
		"</sites></system.applicationHost></configuration>\n", name.String(), wp, fp)
	path := filepath.Join(t.TempDir(), "applicationHost.config")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := labhost.Start(context.Background(), labhost.Options{Listen: "127.0.0.1:0", ConfigFile: path, Hostname: "WIN-LAB1", PendingDelay: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, wp
}

func TestNewUnreachable(t *testing.T) {
	url := fmt.Sprintf("http://127.0.0.1:%d", freePort(t, "127.0.0.1"))
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

func TestClient(t *testing.T) {
	srv, wp := startLab(t)
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
	want := fmt.Sprintf("http/127.0.0.30:%d:www.test", wp)
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
