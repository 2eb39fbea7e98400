package watch

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/clock"
	"github.com/iiskit/iiskit/internal/config"
	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/lab"
	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/labhost"
	"github.com/iiskit/iiskit/internal/lock"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
)

// eventChan is a sink that hands every event to a channel, dropping none.
type eventChan chan event.Event

func (c eventChan) Emit(e event.Event) error { c <- e; return nil }

// BenchmarkDetectionToServing stops a lab site 50 times, each at a random moment of the
// quick interval, and measures the time until the daemon has recovered it and it answers
// HTTP again: detection (up to one quick interval), local recovery with
// recover_starts_site (SPEC C4) and the first answer. Run with -benchtime=1x.
func BenchmarkDetectionToServing(b *testing.B) {
	const (
		faults = 50
		nsites = 5
		quick  = time.Second
	)
	ip := fmt.Sprintf("127.0.2.%d", 100+os.Getpid()%150)
	var xml strings.Builder
	xml.WriteString(`<?xml version="1.0" encoding="UTF-8"?><configuration><system.applicationHost><sites>`)
	f := &config.File{Path: "bench.toml", Defaults: config.Defaults{RetryInterval: 100 * time.Millisecond, ProbeTimeout: 2 * time.Second}}
	s := config.Watch{QuickInterval: quick, DeepInterval: 10 * time.Second, FailuresBeforeRecover: 1,
		RecoverBudget: 1000, RecoverWindow: time.Hour, FlapLow: 100, FlapHigh: 100}
	for i := range nsites {
		fmt.Fprintf(&xml, `<site name="Site %d" id="%d" serverAutoStart="true"><bindings><binding protocol="http" bindingInformation="%s:%d:" /></bindings></site>`, i, i+1, ip, 18080+i)
		r := config.Resource{Resource: resource.Resource{Tag: fmt.Sprintf("site-%d", i), Site: fmt.Sprintf("Site %d", i), Type: resource.W3}, Watch: s}
		r.Options.RecoverStartsSite = true
		f.Resources = append(f.Resources, r)
	}
	xml.WriteString(`</sites></system.applicationHost></configuration>`)
	cfg := filepath.Join(b.TempDir(), "applicationHost.config")
	if err := os.WriteFile(cfg, []byte(xml.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, err := lab.Start(ctx, lab.Options{Listen: ip + ":0", ConfigFile: cfg, Hostname: "BENCH"})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	if w := srv.Warnings(); len(w) > 0 {
		b.Fatalf("lab host: %v", w)
	}
	host, err := labhost.New(ctx, srv.URL())
	if err != nil {
		b.Fatal(err)
	}
	ctl, err := labapi.NewClient(srv.URL())
	if err != nil {
		b.Fatal(err)
	}
	events := make(eventChan, 10000)
	d := New(Options{
		Env:    action.Env{Host: host, Probe: probe.Net{}, Events: events, Clock: clock.Real{}},
		Locker: lock.NewKeeper(filepath.Join(b.TempDir(), "locks")),
	}, f)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { d.Run(runCtx); close(done) }()
	defer func() { stop(); <-done }()

	client := &http.Client{Timeout: time.Second}
	answers := func(i int) bool {
		resp, err := client.Get(fmt.Sprintf("http://%s:%d/", ip, 18080+i))
		if err != nil {
			return false
		}
		resp.Body.Close()
		return true
	}
	var took []time.Duration
	for b.Loop() {
		took = took[:0]
		for n := range faults {
			i := n % nsites
			tag := fmt.Sprintf("site-%d", i)
			// A fault at a random moment of the schedule.
			time.Sleep(rand.N(quick))
			if _, err := ctl.Site(ctx, labapi.PathSiteState, labapi.SiteRequest{Name: fmt.Sprintf("Site %d", i), State: "Stopped"}); err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			deadline := time.After(30 * time.Second)
		wait:
			for {
				select {
				case e := <-events:
					if e.Tag == tag && e.ID == event.WatchRecoverFailed {
						b.Fatalf("fault %d: recovery failed", n)
					}
					if e.Tag == tag && e.ID == event.WatchRecoverSucceeded {
						break wait
					}
				case <-deadline:
					b.Fatalf("fault %d: %s not recovered within 30 s", n, tag)
				}
			}
			for !answers(i) {
				if time.Since(start) > 30*time.Second {
					b.Fatalf("fault %d: %s recovered but not answering", n, tag)
				}
				time.Sleep(5 * time.Millisecond)
			}
			took = append(took, time.Since(start))
		}
	}
	slices.Sort(took)
	p := func(q float64) float64 { return took[int(q*float64(len(took)-1)+0.5)].Seconds() }
	b.ReportMetric(p(0.50), "p50-s")
	b.ReportMetric(p(0.99), "p99-s")
	b.ReportMetric(took[len(took)-1].Seconds(), "max-s")
	b.Logf("%d faults, quick_interval %s, retry_interval 100ms: p50 %.3fs p99 %.3fs min %.3fs max %.3fs",
		len(took), quick, p(0.5), p(0.99), took[0].Seconds(), took[len(took)-1].Seconds())
}
