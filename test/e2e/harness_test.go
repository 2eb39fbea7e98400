// Package e2e runs the real iiskit binary as separate processes against `iiskit lab
// serve`, as a cluster manager does.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var (
	bin      string // the iiskit binary built for this run
	lockRoot string
	nextIP   atomic.Int32 // each lab host gets its own 127.0.1.N, so tests run in parallel
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "iiskit-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "iiskit")
	lockRoot = filepath.Join(dir, "locks")
	build := exec.Command("go", "build", "-o", bin, "../../cmd/iiskit")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building iiskit:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// labHost is one `iiskit lab serve` process with its own loopback address.
type labHost struct {
	t   *testing.T
	URL string
	IP  string
	env []string
}

// site is one <site> of the lab host's applicationHost.config.
type site struct {
	name, bindings string // bindings: protocol/info pairs separated by spaces
	autoStart      bool
	id             int
}

// startLab writes an applicationHost.config for sites (bindings given as
// "http/IP:80:" with IP standing for the host's own address) and starts a lab host
// on it, stopped when the test ends.
func startLab(t *testing.T, sites ...site) *labHost {
	t.Helper()
	ip := fmt.Sprintf("127.0.1.%d", nextIP.Add(1))
	var b strings.Builder
	b.WriteString("\ufeff<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration>\n<system.applicationHost>\n<sites>\n")
	for _, s := range sites {
		fmt.Fprintf(&b, "<site name=\"%s\" id=\"%d\" serverAutoStart=\"%v\">\n<bindings>\n", xmlEscape(s.name), s.id, s.autoStart)
		for _, bind := range strings.Fields(s.bindings) {
			proto, info, _ := strings.Cut(bind, "/")
			fmt.Fprintf(&b, "<binding protocol=\"%s\" bindingInformation=\"%s\" />\n", xmlEscape(proto), xmlEscape(strings.ReplaceAll(info, "IP", ip)))
		}
		b.WriteString("</bindings>\n</site>\n")
	}
	b.WriteString("</sites>\n</system.applicationHost>\n</configuration>\n")
	cfg := filepath.Join(t.TempDir(), "applicationHost.config")
	if err := os.WriteFile(cfg, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "lab", "serve", "--listen", "127.0.0.1:0", "--config", cfg, "--hostname", "E2E-NODE")
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("lab host stderr:\n%s", stderr.String())
		}
	})
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "iiskit lab host listening on "); ok {
				ready <- u
			}
		}
		close(ready)
	}()
	select {
	case u, ok := <-ready:
		if !ok {
			t.Fatalf("lab host ended before it was ready: %s", stderr.String())
		}
		lockDir := filepath.Join(lockRoot, ip)
		return &labHost{t: t, URL: u, IP: ip, env: []string{"IISKIT_LAB=" + u, "IISKIT_LOCK_DIR=" + lockDir}}
	case <-time.After(20 * time.Second):
		t.Fatalf("lab host not ready within 20 s: %s", stderr.String())
	}
	return nil
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	_ = xmlEscapeText(&b, s)
	return b.String()
}

// ctl runs `iiskit lab ARGS` against this host and fails the test unless it exits 0.
func (l *labHost) ctl(args ...string) {
	l.t.Helper()
	r := l.run(append([]string{"lab"}, args...)...)
	if r.code != 0 {
		l.t.Fatalf("iiskit lab %q: exit %d: %s%s", args, r.code, r.stdout, r.stderr)
	}
}

// result is what one iiskit process did.
type result struct {
	code           int
	stdout, stderr string
	events         []jsonEvent
	elapsed        time.Duration
}

type jsonEvent struct {
	Time     string `json:"time"`
	ID       int    `json:"id"`
	Severity string `json:"severity"`
	Action   string `json:"action"`
	Tag      string `json:"tag"`
	Message  string `json:"message"`
}

// run runs iiskit with args (plus the host's environment) and parses --json events.
func (l *labHost) run(args ...string) result {
	l.t.Helper()
	return runIISKit(l.t, l.env, args...)
}

func runIISKit(t *testing.T, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(start)}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("iiskit %q: %v", args, err)
	}
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	for {
		var e jsonEvent
		if err := dec.Decode(&e); err == io.EOF {
			break
		} else if err != nil {
			break // not an events stream (lab verbs, pollsite)
		}
		r.events = append(r.events, e)
	}
	return r
}

// ids returns the events' IDs in order.
func (r result) ids() []int {
	out := make([]int, len(r.events))
	for i, e := range r.events {
		out[i] = e.ID
	}
	return out
}

// expect checks the exit status and the exact ordered event list.
func (r result) expect(t *testing.T, code int, ids ...int) {
	t.Helper()
	if r.code != code || fmt.Sprint(r.ids()) != fmt.Sprint(ids) {
		t.Errorf("exit %d events %v, want exit %d events %v\nstdout: %s\nstderr: %s", r.code, r.ids(), code, ids, r.stdout, r.stderr)
	}
}
