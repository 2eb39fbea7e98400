//go:build windows

package winhost

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
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
	v := Version{10, 0, 20348} // FTPSVC first whatever version the prefix reports
	h, err := New(context.Background(), Options{Version: &v})
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
	} {
		if err := tc.do(); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	for typ, want := range map[resource.Type]string{resource.W3: "W3SVC", resource.FTP: "FTPSVC", resource.SMTP: "SMTPSVC"} {
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

// standInSite is a site in the stand-in appcmd's state file.
type standInSite struct {
	Name     string                 `json:"name"`
	ID       int64                  `json:"id"`
	State    string                 `json:"state"`
	Bindings []iisconfig.RawBinding `json:"bindings"`
}

// writeSites sets what the stand-in appcmd (the W3 fallback) lists.
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

var hostile = []string{
	`x"; Remove-Item C:\ -Recurse; "`,
	`$(Get-Process) & calc.exe | more`,
	`100% ^%PATH^% ^& "q"`,
	`trailing\`,
	`\\srv\share\"x"\`,
	`Ünïcødé サイト 🚀`,
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
