package lab

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/platform"
)

// waitTimeout bounds every poll of observable state in these tests.
const waitTimeout = 10 * time.Second

// testIP returns a loopback address of this test's own, in a block chosen by the process
// id so that test processes running at once do not share it; the test's sites listen on
// fixed ports there (nextPort), so no port is probed free and then lost to a race. It is
// labtest.IP, which this package's tests cannot import (labtest imports lab).
func testIP(t testing.TB) string {
	t.Helper()
	n := nextIP.Add(1)
	if n > 254 {
		t.Fatal("testIP: more than 254 addresses asked for")
	}
	pid := os.Getpid()
	return fmt.Sprintf("127.%d.%d.%d", 16+(pid>>8)%240, pid&0xff, n)
}

var (
	nextIP       atomic.Uint32
	nextPortSeen atomic.Uint32
)

// nextPort returns a port no other call returned: with testIP, a binding no one else holds.
func nextPort() int { return 20000 + int(nextPortSeen.Add(1)) }

// freePort returns a port free on ip just now, a probe that another process can race.
// The test of All Unassigned bindings needs it (those listen on 127.0.0.1, which every
// process shares); elsewhere use testIP and nextPort.
func freePort(t *testing.T, ip string) int {
	t.Helper()
	l, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatalf("finding a free port on %s: %v", ip, err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// siteXML is one <site> of a test applicationHost.config: attrs is the raw attribute text
// after name, bindings are protocol/bindingInformation pairs.
func siteXML(name string, attrs string, bindings ...[2]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "      <site name=%q %s>\n        <bindings>\n", name, attrs)
	for _, bd := range bindings {
		fmt.Fprintf(&b, "          <binding protocol=%q bindingInformation=%q />\n", bd[0], bd[1])
	}
	b.WriteString("        </bindings>\n      </site>\n")
	return b.String()
}

// writeConfig writes an applicationHost.config holding the given sites, with a
// byte-order mark as IIS writes it.
func writeConfig(t testing.TB, sites ...string) string {
	t.Helper()
	doc := "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration>\n  <system.applicationHost>\n    <sites>\n" +
		strings.Join(sites, "") + "    </sites>\n  </system.applicationHost>\n</configuration>\n"
	path := filepath.Join(t.TempDir(), "applicationHost.config")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// startLab starts a lab host on a free control port and closes it with the test.
func startLab(t *testing.T, config string, pending time.Duration) (*Server, *labapi.Client) {
	t.Helper()
	srv, err := Start(context.Background(), Options{Listen: "127.0.0.1:0", ConfigFile: config, Hostname: "LABHOST", PendingDelay: pending})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	c, err := labapi.NewClient(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return srv, c
}

// waitFor polls cond until it holds or waitTimeout passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond) // a poll interval, not a synchronisation
	}
}

func serviceState(t *testing.T, c *labapi.Client, name string) platform.ServiceState {
	t.Helper()
	st, err := c.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range st.Services {
		if s.Name == name {
			return s.State
		}
	}
	t.Fatalf("no service %s in status", name)
	return 0
}

func siteOf(t *testing.T, c *labapi.Client, name string) labapi.Site {
	t.Helper()
	st, err := c.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range st.Sites {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no site %q in status", name)
	return labapi.Site{}
}

func mustService(t *testing.T, c *labapi.Client, path string, req labapi.ServiceRequest) string {
	t.Helper()
	res, err := c.Service(context.Background(), path, req)
	if err != nil {
		t.Fatalf("%s %+v: %v", path, req, err)
	}
	return res.Message
}

func mustSite(t *testing.T, c *labapi.Client, path string, req labapi.SiteRequest) string {
	t.Helper()
	res, err := c.Site(context.Background(), path, req)
	if err != nil {
		t.Fatalf("%s %+v: %v", path, req, err)
	}
	return res.Message
}

// dialable reports whether something accepts connections on addr.
func dialable(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func addr(ip string, port int) string { return net.JoinHostPort(ip, fmt.Sprint(port)) }
