package lab

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

func binding(t *testing.T, s string) resource.Binding {
	t.Helper()
	b, err := resource.ParseBinding(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAllowAddress is the address rule with injected namespace facts, both ways.
func TestAllowAddress(t *testing.T) {
	node := namespace{Named: "n1"}
	for _, c := range []struct {
		binding string
		ns      namespace
		allowed bool
	}{
		{"http/127.0.0.1:80:", namespace{}, true},
		{"http/127.3.4.5:80:", namespace{}, true},
		{"http/[::1]:80:", namespace{}, true},
		{"http/*:80:", namespace{}, true},
		{"http/:80:", namespace{}, true},
		{"http/10.99.0.100:80:", namespace{}, false},
		{"http/192.168.1.10:80:www.example.com", namespace{}, false},
		{"http/[2001:db8::1]:80:", namespace{}, false},
		{"http/10.99.0.100:80:", node, true},
		{"ftp/10.99.0.1:21:", node, true},
		{"http/127.0.0.1:80:", node, true},
	} {
		err := allowAddress(binding(t, c.binding), c.ns)
		if (err == nil) != c.allowed {
			t.Errorf("%s in namespace %q: %v, want allowed %v", c.binding, c.ns.Named, err, c.allowed)
		}
	}
}

// TestNamedNetns finds this process's namespace among named ones by device and inode: a
// hard link stands in for the bind mount `ip netns add` makes.
func TestNamedNetns(t *testing.T) {
	dir := t.TempDir()
	self := filepath.Join(dir, "self")
	named := filepath.Join(dir, "netns")
	if err := os.WriteFile(self, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(named, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(named, "other"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := namedNetns(self, named); got != "" {
		t.Errorf("no link yet: %q, want none", got)
	}
	if err := os.Link(self, filepath.Join(named, "node1")); err != nil {
		t.Fatal(err)
	}
	if got := namedNetns(self, named); got != "node1" {
		t.Errorf("namedNetns = %q, want node1", got)
	}
	if got := namedNetns(self, filepath.Join(dir, "absent")); got != "" {
		t.Errorf("no folder: %q, want none", got)
	}
}

// childEnv tells the test binary it runs inside the namespace TestNetnsReal made.
const childEnv = "IISKIT_LAB_NETNS_CHILD"

// TestNetnsReal makes a real namespace with `ip netns add`, runs TestNetnsChild inside it,
// and checks that here, outside it, the same address is refused. It needs root and
// iproute2; without them it fails when CI is set.
func TestNetnsReal(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		t.Skip("inside the namespace: TestNetnsChild runs here")
	}
	ip, err := exec.LookPath("ip")
	if err != nil || os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI: this test needs root and ip (iproute2): euid %d, %v", os.Geteuid(), err)
		}
		t.Skipf("needs root and ip (iproute2): euid %d, %v", os.Geteuid(), err)
	}
	if got := thisNamespace(); got.Named != "" {
		t.Skipf("the test itself runs in named namespace %q", got.Named)
	}
	if err := checkLoopback(binding(t, "http/10.99.250.1:8080:")); err == nil {
		t.Error("outside a named namespace, 10.99.250.1 was allowed")
	}
	name := fmt.Sprintf("iiskit-labns-%d", os.Getpid())
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(ip, args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("netns", "add", name)
	t.Cleanup(func() { _ = exec.Command(ip, "netns", "del", name).Run() })
	run("-n", name, "link", "set", "lo", "up")
	run("-n", name, "addr", "add", "10.99.250.1/32", "dev", "lo")
	cmd := exec.Command(ip, "netns", "exec", name, os.Args[0], "-test.run=^TestNetnsChild$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"="+name)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestNetnsChild") {
		t.Fatalf("inside namespace %s: %v\n%s", name, err, out)
	}
}

// TestNetnsChild runs only inside the namespace of TestNetnsReal (it skips elsewhere): a
// site on an address the namespace holds starts; one on an address it does not hold yet
// is accepted, stays Stopped with its error, and starts once the address arrives.
func TestNetnsChild(t *testing.T) {
	want := os.Getenv(childEnv)
	if want == "" {
		t.Skip("runs only inside the namespace TestNetnsReal makes")
	}
	if got := thisNamespace(); got.Named != want {
		t.Fatalf("namespace %q, want %q", got.Named, want)
	}
	// Inside a private namespace no other test listens: fixed ports are safe here.
	cfg := filepath.Join(t.TempDir(), "applicationHost.config")
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<configuration><system.applicationHost><sites>
<site name="held" id="1"><bindings><binding protocol="http" bindingInformation="10.99.250.1:8080:" /></bindings></site>
<site name="floating" id="2"><bindings><binding protocol="http" bindingInformation="10.99.250.2:8080:" /></bindings></site>
</sites></system.applicationHost></configuration>`
	if err := os.WriteFile(cfg, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	srv, err := Start(ctx, Options{Listen: "127.0.0.1:0", ConfigFile: cfg, Hostname: "NODE1"})
	if err != nil {
		t.Fatalf("a binding on an address of the namespace was refused: %v", err)
	}
	defer srv.Close()
	c, err := labapi.NewClient(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	states := func() map[string]labapi.Site {
		st, err := c.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]labapi.Site{}
		for _, s := range st.Sites {
			m[s.Name] = s
		}
		return m
	}
	sites := states()
	if s := sites["held"]; s.State != platform.SiteStarted {
		t.Errorf("held: %+v, want Started", s)
	}
	if s := sites["floating"]; s.State != platform.SiteStopped || s.LastError == "" {
		t.Errorf("floating before its address: %+v, want Stopped with the listen error", s)
	}
	get := func(addr string) error {
		cl := http.Client{Timeout: 5 * time.Second}
		resp, err := cl.Get("http://" + addr + "/")
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	if err := get("10.99.250.1:8080"); err != nil {
		t.Errorf("held does not answer: %v", err)
	}
	if out, err := exec.Command("ip", "addr", "add", "10.99.250.2/32", "dev", "lo").CombinedOutput(); err != nil {
		t.Fatalf("adding the floating address: %v\n%s", err, out)
	}
	if _, err := c.Site(ctx, labapi.PathSiteStart, labapi.SiteRequest{Name: "floating", Type: "W3"}); err != nil {
		t.Fatalf("starting floating once its address is here: %v", err)
	}
	if s := states()["floating"]; s.State != platform.SiteStarted {
		t.Errorf("floating after its address: %+v, want Started", s)
	}
	if err := get("10.99.250.2:8080"); err != nil {
		t.Errorf("floating does not answer: %v", err)
	}
}
