package doctor

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/lab"
	"github.com/iiskit/iiskit/internal/lab/labtest"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// startLab runs a lab host with one W3 site (the shape of IIS's default
// applicationHost.config: "Default Web Site", id 1, an http binding).
func startLab(t *testing.T) string {
	t.Helper()
	ip := labtest.IP(t)
	cfg := labtest.WriteConfig(t, labtest.Site{Name: "Default Web Site", ID: 1, Bindings: []string{"http/" + ip + ":8080:"}, Pool: "DefaultAppPool"})
	return labtest.Start(t, lab.Options{ConfigFile: cfg, PendingDelay: 10 * time.Millisecond}).URL()
}

// doctor runs the command with a lock folder of the test's own and returns the exit
// status, stdout and stderr.
func doctor(t *testing.T, lockDir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string {
		if k == "IISKIT_LOCK_DIR" {
			return lockDir
		}
		return ""
	}
	code := Main(context.Background(), args, Streams{Getenv: getenv, Stdout: &out, Stderr: &errOut}, Defaults{Platform: "lab"})
	return code, out.String(), errOut.String()
}

func check(t *testing.T, r Report, name string) Check {
	t.Helper()
	for _, c := range r.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check %q in %+v", name, r.Checks)
	return Check{}
}

// TestSoundLabHost: on a sound lab host every check passes, exit 0, and --json is CLI.md's
// object with the site as the lab API read it.
func TestSoundLabHost(t *testing.T) {
	url := startLab(t)
	code, out, errOut := doctor(t, filepath.Join(t.TempDir(), "locks"), "--lab", url, "--json", "--tag", "www", "--site", "default web site", "--type", "W3")
	if code != 0 {
		t.Fatalf("exit %d, want 0: %s %s", code, out, errOut)
	}
	var r Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Host["platform"] != "lab" || r.Host["hostname"] != "LABHOST" {
		t.Errorf("host %v", r.Host)
	}
	if c := check(t, r, "resource www"); !c.OK || !strings.Contains(c.Detail, `"Default Web Site" found (id 1, Started)`) {
		t.Errorf("resource: %+v", c)
	}
	if len(r.Sites) != 1 || r.Sites[0].States["lab API"] != "Started" || r.Sites[0].Type != "W3" {
		t.Errorf("sites %+v", r.Sites)
	}
	// The root application's pool, read by name.
	if len(r.Pools) != 1 || r.Pools[0].Name != "DefaultAppPool" || r.Pools[0].States["lab API"] != "Started" {
		t.Errorf("pools %+v", r.Pools)
	}
}

// TestPlantedFaults: a resource whose site does not exist, or a lock folder others can
// write, needs attention (exit 1) and the finding says what to do.
func TestPlantedFaults(t *testing.T) {
	url := startLab(t)
	code, out, _ := doctor(t, filepath.Join(t.TempDir(), "locks"), "--lab", url, "--tag", "x", "--site", "nope", "--type", "W3")
	if code != 1 || !strings.Contains(out, `FAIL resource x: W3 site "nope" not found among 1 W3 sites: check the name`) {
		t.Errorf("absent site: exit %d\n%s", code, out)
	}
	open := filepath.Join(t.TempDir(), "open")
	if err := os.Mkdir(open, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o777); err != nil {
		t.Fatal(err)
	}
	code, out, _ = doctor(t, open, "--lab", url)
	if code != 1 || !strings.Contains(out, "FAIL lock folder") || !strings.Contains(out, "IISKIT_LOCK_DIR") {
		t.Errorf("unsafe lock folder: exit %d\n%s", code, out)
	}
}

// TestBadInput: exit 2 and nothing read.
func TestBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"--type", "W3", "--site", "x"},
		{"--tag", "a", "--site", "x", "--type", "GOPHER"},
		{"--platform", "nope"},
		{"--lab", "ftp://x"},
		{"stray"},
		{"--timeout", "0s"},
		{"--tag", "a"},
		{"--config", "/nonexistent/resources.toml"},
	} {
		code, _, errOut := doctor(t, t.TempDir(), args...)
		if code != 2 || !strings.HasPrefix(errOut, "iiskit doctor: ") && !strings.Contains(errOut, "flag") {
			t.Errorf("%q: exit %d %q, want 2", args, code, errOut)
		}
	}
}

// fakeInspector offers two readings of W3 sites.
type fakeInspector struct{ a, b []platform.Site }

func (f fakeInspector) Facts() [][2]string { return [][2]string{{"platform", "fake"}} }
func (f fakeInspector) Readings() []Reading {
	list := func(s []platform.Site) func(context.Context, resource.Type) ([]platform.Site, error) {
		return func(context.Context, resource.Type) ([]platform.Site, error) { return s, nil }
	}
	return []Reading{{Name: "api", Types: []resource.Type{resource.W3}, List: list(f.a)}, {Name: "appcmd", Types: []resource.Type{resource.W3}, List: list(f.b)}}
}
func (fakeInspector) Checks(context.Context) []Check { return nil }

// fakeHost is a platform.Host with every service running.
type fakeHost struct{ platform.Host }

func (fakeHost) Hostname() string { return "NODE1" }
func (fakeHost) ServiceName(_ context.Context, t resource.Type) (string, error) {
	return t.ServiceName(), nil
}
func (fakeHost) ServiceState(context.Context, string) (platform.ServiceState, error) {
	return platform.Running, nil
}

// TestReadingsCompared: the readings are compared name by name and state by state; any
// difference needs attention and names both answers.
func TestReadingsCompared(t *testing.T) {
	www := platform.Site{Name: "Default Web Site", ID: 1, State: platform.SiteStarted}
	shop := platform.Site{Name: "Shop", ID: 2, State: platform.SiteStopped}
	env := func(a, b []platform.Site) Env {
		return Env{Host: fakeHost{}, Inspector: fakeInspector{a, b}, CheckLockDir: func(string) error { return nil }}
	}
	r := Run(context.Background(), env([]platform.Site{www, shop}, []platform.Site{www, shop}))
	if c := check(t, r, "compare W3 readings"); !c.OK || !r.OK() {
		t.Errorf("same readings: %+v", c)
	}
	started := shop
	started.State = platform.SiteStarted
	r = Run(context.Background(), env([]platform.Site{www, shop}, []platform.Site{www, started}))
	if c := check(t, r, "compare W3 readings"); c.OK || !strings.Contains(c.Detail, `"Shop": api Stopped, appcmd Started`) || r.OK() {
		t.Errorf("a state differs: %+v", c)
	}
	r = Run(context.Background(), env([]platform.Site{www, shop}, []platform.Site{www}))
	if c := check(t, r, "compare W3 readings"); c.OK || !strings.Contains(c.Detail, `"Shop": api Stopped, appcmd absent`) {
		t.Errorf("a site missing: %+v", c)
	}
}

// TestExerciseOnLab: --exercise on the lab creates its throwaway site and pool through the
// lab's API, passes every step (the lab's site really serves, so deepcheck too; the pool
// fault gives 9820 and recover repairs it), and leaves the host exactly as it was: the
// same sites and pools, in the same states.
func TestExerciseOnLab(t *testing.T) {
	url := startLab(t)
	c := labtest.Client(t, url)
	before, err := c.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := doctor(t, filepath.Join(t.TempDir(), "locks"), "--lab", url, "--exercise")
	if code != 0 {
		t.Fatalf("exit %d, want 0:\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"ok   exercise: restore: exit 0, events [9407]", "ok   exercise: deepcheck: exit 0, events []",
		"ok   exercise: quickcheck: exit 1, events [9820]", "ok   exercise: recover: exit 0, events []",
		"ok   exercise: remove: exit 0, events [9558]", "ok   exercise: nothing left behind"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	after, err := c.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before.Sites, after.Sites) || !reflect.DeepEqual(before.Pools, after.Pools) {
		t.Errorf("the lab changed:\nbefore %+v\nafter  %+v", before, after)
	}
}
