//go:build windows

package winhost

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc"
	"golang.org/x/sys/windows/svc/mgr"

	"github.com/iiskit/iiskit/internal/platform"
)

// The stand-ins of IIS's configuration API and of the IIS 6 WMI provider
// (scripts/wine/standin, registered by scripts/wine.sh in the throwaway prefix) answer
// from C:\iiskit\iis.json and log what they were asked in C:\iiskit\iis-calls.log.
const (
	iisFile   = `C:\iiskit\iis.json`
	callsFile = `C:\iiskit\iis-calls.log`
)

// iisState is the stand-ins' file.
type iisState struct {
	Sites            []stSite           `json:"sites"`
	ApplicationPools []stPool           `json:"applicationPools,omitempty"`
	SMTP             []stServer         `json:"smtp,omitempty"`
	FTP6             []stServer         `json:"ftp6,omitempty"`
	Refuse           map[string]refusal `json:"refuse,omitempty"`
	// Fault refuses one member of the configuration API's objects (the stand-in's
	// comment lists the keys): a method throws the HRESULT, a property is withheld.
	Fault map[string]uint32 `json:"fault,omitempty"`
	// ApplicationDefaults is the sites section's applicationDefaults.
	ApplicationDefaults *stDefaults `json:"applicationDefaults,omitempty"`
}

type stDefaults struct {
	ApplicationPool string `json:"applicationPool"`
}

type stSite struct {
	Name         string      `json:"name"`
	ID           int64       `json:"id"`
	State        string      `json:"state,omitempty"`
	Bindings     []stBinding `json:"bindings"`
	FTPServer    *stFTP      `json:"ftpServer,omitempty"`
	Applications []stApp     `json:"applications,omitempty"`
	// ApplicationDefaults is the site's own applicationDefaults.
	ApplicationDefaults *stDefaults `json:"applicationDefaults,omitempty"`
}

type stBinding struct {
	Protocol           string `json:"protocol"`
	BindingInformation string `json:"bindingInformation"`
}

type stFTP struct {
	State string `json:"state"`
}

type stApp struct {
	Path            string `json:"path"`
	ApplicationPool string `json:"applicationPool"`
}

type stPool struct {
	Name     string `json:"name"`
	State    string `json:"state"`
	Recycles int    `json:"recycles,omitempty"`
}

type stServer struct {
	Name           string    `json:"name"`
	ServerComment  string    `json:"serverComment"`
	ServerState    any       `json:"serverState"` // a number; any, so a test can plant a wrong type
	ServerBindings []stSBind `json:"serverBindings"`
}

type stSBind struct {
	IP       string `json:"ip"`
	Port     string `json:"port"`
	Hostname string `json:"hostname"`
}

// refusal makes a stand-in call fail with an HRESULT or hang for Hang milliseconds.
type refusal struct {
	HResult uint32 `json:"hresult,omitempty"`
	Hang    int    `json:"hang,omitempty"`
}

func web(info string) stBinding { return stBinding{"http", info} }

// writeIIS replaces the stand-ins' file and empties their call log. The file is ASCII
// with \u escapes: the script host reads it in the ANSI code page.
func writeIIS(t *testing.T, st iisState) {
	t.Helper()
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(iisFile), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(iisFile, asciiJSON(b), 0o644); err != nil {
		t.Fatal(err)
	}
	_ = os.Remove(callsFile)
	_ = os.Remove(filepath.Join(standIn(t), "appcmd-calls.log"))
}

func asciiJSON(b []byte) []byte {
	var out bytes.Buffer
	for _, r := range string(b) {
		switch {
		case r < 0x80:
			out.WriteRune(r)
		case r > 0xFFFF:
			r -= 0x10000
			fmt.Fprintf(&out, `\u%04x\u%04x`, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
		default:
			fmt.Fprintf(&out, `\u%04x`, r)
		}
	}
	return out.Bytes()
}

func readIIS(t *testing.T) iisState {
	t.Helper()
	b, err := os.ReadFile(iisFile)
	if err != nil {
		t.Fatal(err)
	}
	var st iisState
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return st
}

// iisCalls returns what the stand-ins were asked since writeIIS, one line each.
func iisCalls(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(callsFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(string(b), "\r", ""), "\n") {
		if line == "" {
			continue
		}
		var words []string
		if err := json.Unmarshal([]byte(line), &words); err != nil {
			t.Fatalf("call log line %q: %v", line, err)
		}
		out = append(out, strings.Join(words, " "))
	}
	return out
}

// appcmdProcesses counts the stand-in appcmd's runs since writeIIS, from its own log.
func appcmdProcesses(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(standIn(t), "appcmd-calls.log"))
	if errors.Is(err, os.ErrNotExist) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "\n")
}

// logBuffer collects a Host's diagnostics.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newHost(t *testing.T, o Options) (*Host, *logBuffer, *countingRunner) {
	t.Helper()
	logs := &logBuffer{}
	run := &countingRunner{}
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(logs, nil))
	}
	if o.Runner == nil {
		o.Runner = run
	}
	h, err := New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return h, logs, run
}

// setService brings a stand-in service to want (Running or Stopped) as the administrator
// would, and waits until the service manager says so.
func setService(t *testing.T, name string, want svc.State) {
	t.Helper()
	m, err := mgr.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Disconnect()
	s, err := m.OpenService(name)
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	defer s.Close()
	st, err := s.Query()
	if err != nil {
		t.Fatal(err)
	}
	if st.State != want {
		if want == svc.Running {
			err = s.Start()
		} else {
			_, err = s.Control(svc.Stop)
		}
		if err != nil && !errors.Is(err, windows.ERROR_SERVICE_ALREADY_RUNNING) {
			t.Fatalf("%s to %v: %v", name, want, err)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		st, err := s.Query()
		marker := fileExists(filepath.Join(`C:\iiskit\svc`, name+".running"))
		if err == nil && st.State == want && marker == (want == svc.Running) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: state %v %v (marker %v), want %v within 20 s", name, st.State, err, marker, want)
		}
		<-tick.C
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func stateOf(t *testing.T, sites []platform.Site, name string) platform.SiteState {
	t.Helper()
	s, ok := platform.FindSite(sites, name)
	if !ok {
		t.Fatalf("site %q not listed: %v", name, sites)
	}
	return s.State
}
