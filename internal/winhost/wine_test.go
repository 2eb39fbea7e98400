//go:build windows

package winhost

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc"
	"golang.org/x/sys/windows/svc/mgr"

	"github.com/iiskit/iiskit/internal/iisconfig"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
	"github.com/iiskit/iiskit/internal/winhost/appcmd"
)

// These tests change the machine: they need the throwaway Wine prefix scripts/wine.sh
// makes, with stand-in W3SVC and FTPSVC services and a stand-in appcmd.exe at the real
// path.
func needWine(t *testing.T) {
	t.Helper()
	if os.Getenv("IISKIT_WINE") != "1" {
		t.Skip("needs the Wine prefix of scripts/wine.sh (IISKIT_WINE=1)")
	}
}

// countingRunner counts the processes the platform starts and what they were.
type countingRunner struct {
	mu    sync.Mutex
	paths []string
	argvs [][]string
}

func (r *countingRunner) Run(ctx context.Context, path string, args []string) (appcmd.Output, error) {
	r.mu.Lock()
	r.paths = append(r.paths, path)
	r.argvs = append(r.argvs, slices.Clone(args))
	r.mu.Unlock()
	return appcmd.ExecRunner{}.Run(ctx, path, args)
}

func (r *countingRunner) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.paths)
}

func waitState(t *testing.T, h *Host, name string, want platform.ServiceState) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		st, err := h.ServiceState(context.Background(), name)
		if err == nil && st == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: state %v %v, want %v within 20 s", name, st, err, want)
		}
		<-tick.C
	}
}

// TestServiceCycle drives a real stand-in service through the service control manager:
// stop (by the test, as administrator), observe, start through the Host, observe.
func TestServiceCycle(t *testing.T) {
	needWine(t)
	h, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	m, err := mgr.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Disconnect()
	s, err := m.OpenService("W3SVC")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if st, err := s.Query(); err == nil && st.State == svc.Running {
		if _, err := s.Control(svc.Stop); err != nil {
			t.Fatal(err)
		}
	}
	waitState(t, h, "W3SVC", platform.Stopped)
	if err := h.StartService(ctx, "W3SVC"); err != nil {
		t.Fatalf("start: %v", err)
	}
	waitState(t, h, "W3SVC", platform.Running)
	if err := h.StartService(ctx, "W3SVC"); err != nil {
		t.Errorf("a start request on a running service: %v, want nil", err)
	}
	for _, tc := range []struct {
		name string
		do   func() error
		want error
	}{
		{"query missing", func() error { _, err := h.ServiceState(ctx, "NOSUCHSVC"); return err }, platform.ErrNoService},
		{"start missing", func() error { return h.StartService(ctx, "NOSUCHSVC") }, platform.ErrNoService},
		{"start missing is refused outright", func() error { return h.StartService(ctx, "NOSUCHSVC") }, platform.ErrStartRefused},
		{"continue missing is refused outright", func() error { return h.ContinueService(ctx, "NOSUCHSVC") }, platform.ErrStartRefused},
		{"smtp not installed", func() error { _, err := h.ServiceName(ctx, resource.SMTP); return err }, platform.ErrNoService},
	} {
		if err := tc.do(); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	for typ, want := range map[resource.Type]string{resource.W3: "W3SVC", resource.FTP: "FTPSVC"} {
		if got, err := h.ServiceName(ctx, typ); err != nil || got != want {
			t.Errorf("ServiceName(%v) = %q %v, want %q", typ, got, err, want)
		}
	}
}

// standIn is the stand-in appcmd's folder, C:\Windows\System32\inetsrv.
func standIn(t *testing.T) string {
	t.Helper()
	dir, err := windows.GetSystemDirectory()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "inetsrv")
}

type standInSite struct {
	Name     string                 `json:"name"`
	ID       int64                  `json:"id"`
	State    string                 `json:"state"`
	Bindings []iisconfig.RawBinding `json:"bindings"`
}

func writeSites(t *testing.T, sites []standInSite) {
	t.Helper()
	b, err := json.Marshal(map[string]any{"sites": sites})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(standIn(t), "appcmd-state.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	_ = os.Remove(filepath.Join(standIn(t), "appcmd-calls.log"))
}

// calls returns the argv of every appcmd process since writeSites, from its own log.
func calls(t *testing.T) [][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(standIn(t), "appcmd-calls.log"))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var argv []string
		if err := json.Unmarshal([]byte(line), &argv); err != nil {
			t.Fatal(err)
		}
		out = append(out, argv)
	}
	return out
}

var hostile = []string{
	`x"; Remove-Item C:\ -Recurse; "`,
	`$(Get-Process) & calc.exe | more`,
	`100% ^%PATH^% ^& "q"`,
	`trailing\`,
	`\\srv\share\"x"\`,
	`Ünïcødé サイト 🚀`,
}

// TestSitesThroughStandInAppcmd finds the stand-in appcmd at the real path, lists, stops
// and starts hostile-named sites, and checks each name reached the appcmd process as
// exactly the one argv element /site.name:NAME.
func TestSitesThroughStandInAppcmd(t *testing.T) {
	needWine(t)
	var sites []standInSite
	for i, n := range hostile {
		sites = append(sites, standInSite{Name: n, ID: int64(i + 1), State: "Started", Bindings: []iisconfig.RawBinding{{Protocol: "http", Information: "127.0.0.2:80:" + strings.Repeat("h", i)}}})
	}
	sites = append(sites, standInSite{Name: "ftp only", ID: 99, State: "Unknown", Bindings: []iisconfig.RawBinding{{Protocol: "ftp", Information: "*:21:"}}})
	writeSites(t, sites)
	run := &countingRunner{}
	h, err := New(context.Background(), Options{Runner: run})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	got, err := h.ListSites(ctx, resource.W3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(hostile) {
		t.Fatalf("listed %d W3 sites, want %d (the FTP-only one excluded): %v", len(got), len(hostile), got)
	}
	for _, s := range got {
		if err := h.StopSite(ctx, resource.W3, s); err != nil {
			t.Fatalf("stop %q: %v", s.Name, err)
		}
	}
	after, err := h.ListSites(ctx, resource.W3)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range after {
		if s.State != platform.SiteStopped {
			t.Errorf("%q is %v after stop", s.Name, s.State)
		}
	}
	if err := h.StartSite(ctx, resource.W3, platform.Site{Name: "no such site", ID: 77}); !errors.Is(err, platform.ErrNoSite) {
		t.Errorf("start of a missing site: %v, want ErrNoSite", err)
	}
	argvs := calls(t)
	want := [][]string{appcmd.ListSitesArgs()}
	for _, n := range hostile {
		want = append(want, []string{"stop", "site", "/site.name:" + n})
	}
	want = append(want, appcmd.ListSitesArgs(), []string{"start", "site", "/site.name:no such site"})
	if !slices.EqualFunc(argvs, want, slices.Equal) {
		t.Errorf("appcmd processes received\n%q\nwant\n%q", argvs, want)
	}
	for _, p := range run.paths {
		if !strings.EqualFold(filepath.Base(p), "appcmd.exe") {
			t.Errorf("started %s, want only appcmd.exe", p)
		}
	}
}

// TestOneAppcmdPerListing plays a deepcheck's platform calls (service name and state, one
// listing for Q2 and Q3, a new one for D3): one appcmd process per listing, no PowerShell.
func TestOneAppcmdPerListing(t *testing.T) {
	needWine(t)
	writeSites(t, []standInSite{{Name: "Default Web Site", ID: 1, State: "Started", Bindings: []iisconfig.RawBinding{{Protocol: "http", Information: "127.0.0.2:80:"}}}})
	run := &countingRunner{}
	h, err := New(context.Background(), Options{Runner: run})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	name, err := h.ServiceName(ctx, resource.W3)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.ServiceState(ctx, name); err != nil {
		t.Fatal(err)
	}
	for range 2 { // Q2 and Q3 share one listing; D3 lists again
		sites, err := h.ListSites(ctx, resource.W3)
		if err != nil {
			t.Fatal(err)
		}
		if s, ok := platform.FindSite(sites, "default web site"); !ok || s.State != platform.SiteStarted {
			t.Fatalf("got %v %v", s, ok)
		}
	}
	if n := run.count(); n != 2 {
		t.Errorf("%d processes started, want 2 appcmd: %q", n, run.paths)
	}
	if n := len(calls(t)); n != 2 {
		t.Errorf("the stand-in appcmd ran %d times, want 2", n)
	}
	for _, p := range run.paths {
		if strings.Contains(strings.ToLower(p), "powershell") {
			t.Errorf("PowerShell started: %s", p)
		}
	}
}

// TestPrerequisites: a missing appcmd is a prerequisite error naming it.
func TestPrerequisites(t *testing.T) {
	needWine(t)
	_, err := New(context.Background(), Options{AppcmdPath: `C:\nowhere\appcmd.exe`})
	if !errors.Is(err, platform.ErrPrerequisite) || !strings.Contains(err.Error(), "appcmd.exe") {
		t.Errorf("got %v, want ErrPrerequisite naming appcmd.exe", err)
	}
}

// TestFTPVersionPaths: the version decides the FTP backend, as in the original.
func TestFTPVersionPaths(t *testing.T) {
	needWine(t)
	for _, tc := range []struct {
		v      Version
		modern bool
	}{
		{Version{6, 1, 7601}, false},
		{Version{6, 3, 9600}, true},
		{Version{10, 0, 26100}, true},
	} {
		h, err := New(context.Background(), Options{Version: &tc.v})
		if err != nil {
			t.Fatal(err)
		}
		_, modern := h.sites[resource.FTP].(ftpSites)
		if modern != tc.modern {
			t.Errorf("%v: AHADMIN backend %v, want %v", tc.v, modern, tc.modern)
		}
	}
}
