//go:build unix

package watch

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/clock/clocktest"
	"github.com/iiskit/iiskit/internal/config"
	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/lock"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
)

type discard struct{}

func (discard) Emit(event.Event) error { return nil }

// benchScale runs ticks in which each of 1,000 resources is due for one check of the
// given level, and reports the cost per check: wall time, CPU time of this process (both
// cores; the HTTP server answering the deepchecks is another process) and allocations.
func benchScale(b *testing.B, deep bool) {
	const n = 1000
	ap := startServerProcess(b)
	host := &scaleHost{}
	f := &config.File{Path: "bench.toml"}
	s := config.Watch{QuickInterval: time.Second, DeepInterval: 1000 * time.Hour, FailuresBeforeRecover: 1,
		RecoverBudget: 3, RecoverWindow: time.Hour, FlapLow: 5, FlapHigh: 20}
	if deep {
		s.DeepInterval = time.Second
	}
	// IISKIT_BENCH_POOLS=1 gives each site its own application pool, as IIS Manager
	// makes one per new site: the checks' P1 and the daemon's pool reading, per check.
	pools := os.Getenv("IISKIT_BENCH_POOLS") == "1"
	for i := range n {
		name := fmt.Sprintf("site-%04d", i)
		site := platform.Site{Name: name, ID: int64(i + 1), State: platform.SiteStarted,
			Bindings: []resource.Binding{{Protocol: "http", IP: ap.Addr(), Port: ap.Port()}}}
		if pools {
			site.Pools = []string{name}
		}
		host.sites = append(host.sites, site)
		f.Resources = append(f.Resources, config.Resource{
			Resource: resource.Resource{Tag: fmt.Sprintf("r%04d", i), Site: name, Type: resource.W3}, Watch: s})
	}
	clk := clocktest.New(epoch)
	d := New(Options{
		Env: action.Env{Host: host, Probe: probe.Net{}, Events: discard{}, Clock: clk,
			Log: slog.New(slog.DiscardHandler)},
		Locker: benchLock(b),
	}, f)
	// The first tick runs every resource's first deepcheck (their starts spread over 1 s).
	clk.After(time.Second)
	d.Tick(clk.Now())
	d.Wait()
	b.ReportAllocs()
	var before, after syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	b.ResetTimer()
	for b.Loop() {
		clk.After(time.Second)
		d.Tick(clk.Now())
		d.Wait()
	}
	b.StopTimer()
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := time.Duration(after.Utime.Nano()+after.Stime.Nano()-before.Utime.Nano()-before.Stime.Nano()) * time.Nanosecond
	checks := float64(b.N * n)
	b.ReportMetric(float64(b.Elapsed().Microseconds())/checks, "wall-µs/check")
	b.ReportMetric(float64(cpu.Microseconds())/checks, "cpu-µs/check")
	for _, r := range d.Status() {
		if r.State != StateUp {
			b.Fatalf("%s is %s, want up: the benchmark measured failing checks", r.Tag, r.State)
		}
	}
}

// BenchmarkQuickCheckAt1000 is one tick of 1,000 quickchecks (one shared listing).
func BenchmarkQuickCheckAt1000(b *testing.B) { benchScale(b, false) }

// BenchmarkDeepCheckAt1000 is one tick of 1,000 deepchecks, each an HTTP request.
func BenchmarkDeepCheckAt1000(b *testing.B) { benchScale(b, true) }

// benchLock is the real per-tag lock, or none with IISKIT_BENCH_NOLOCK=1 to show its
// share of the cost.
func benchLock(b *testing.B) Locker {
	if os.Getenv("IISKIT_BENCH_NOLOCK") == "1" {
		return nil
	}
	return lock.NewKeeper(b.TempDir())
}

// serverEnv makes the test binary an HTTP server (see TestMain), so that a benchmark's
// CPU time is the daemon's alone.
const serverEnv = "IISKIT_WATCH_BENCH_SERVER"

func TestMain(m *testing.M) {
	if os.Getenv(serverEnv) == "1" {
		serveUntilStdinCloses()
		return
	}
	os.Exit(m.Run())
}

// serveUntilStdinCloses answers every HTTP request with 200 on a loopback port it prints,
// until its parent closes stdin.
func serveUntilStdinCloses() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("error", err)
		return
	}
	fmt.Println(ln.Addr())
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") }),
		ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	_, _ = io.Copy(io.Discard, os.Stdin)
}

// startServerProcess runs this test binary as the HTTP server of the deepchecks.
func startServerProcess(b *testing.B) netip.AddrPort {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), serverEnv+"=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stdin.Close(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		b.Fatalf("server process: %v", err)
	}
	ap, err := netip.ParseAddrPort(strings.TrimSpace(line))
	if err != nil {
		b.Fatalf("server process said %q", line)
	}
	return ap
}
