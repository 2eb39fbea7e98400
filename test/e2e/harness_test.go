// Package e2e runs the real iiskit binary as separate processes against `iiskit lab
// serve`, as a cluster manager does.
package e2e

import (
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

	"github.com/iiskit/iiskit/internal/lab/labtest"
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
// on it, its control API on port 0 of that address, stopped when the test ends.
func startLab(t *testing.T, sites ...site) *labHost {
	t.Helper()
	ip := fmt.Sprintf("127.0.1.%d", nextIP.Add(1))
	var cfgSites []labtest.Site
	for _, s := range sites {
		ls := labtest.Site{Name: s.name, ID: int64(s.id), Stopped: !s.autoStart}
		for _, bind := range strings.Fields(s.bindings) {
			ls.Bindings = append(ls.Bindings, strings.ReplaceAll(bind, "IP", ip))
		}
		cfgSites = append(cfgSites, ls)
	}
	cfg := labtest.WriteConfig(t, cfgSites...)
	u := labtest.Serve(t, bin, ip, "--config", cfg, "--hostname", "E2E-NODE")
	lockDir := filepath.Join(lockRoot, ip)
	return &labHost{t: t, URL: u, IP: ip, env: []string{"IISKIT_LAB=" + u, "IISKIT_LOCK_DIR=" + lockDir}}
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
	return runWithin(t, 90*time.Second, env, args...)
}

// runWithin is runIISKit with its own bound: a process still running after bound is
// killed and the test fails at once, naming the command, so a missing deadline in the
// code under test is a named failure in seconds.
func runWithin(t *testing.T, bound time.Duration, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(start)}
	if ctx.Err() != nil {
		t.Fatalf("iiskit %q: still running after %v, killed: a deadline is missing\nstdout: %s\nstderr: %s", args, bound, r.stdout, r.stderr)
	}
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
