package watch

import (
	"io"
	"runtime"
	"sync"
	"time"
)

// Check levels and outcomes, the values of the labels level and outcome, and their
// places in counts.
const (
	levelQuick = "quick"
	levelDeep  = "deep"

	outcomePass  = "pass"
	outcomeFail  = "fail"
	outcomeError = "error" // the check could not run (lock busy) or panicked
)

var (
	levels   = [...]string{levelQuick, levelDeep}
	outcomes = [...]string{outcomePass, outcomeFail, outcomeError}
	// durationBuckets are the upper bounds of the check duration histogram, in seconds.
	durationBuckets = [...]float64{.0025, .01, .025, .1, .25, 1, 2.5, 10, 30}
)

func levelIndex(level string) int {
	if level == levelDeep {
		return 1
	}
	return 0
}

func outcomeIndex(o string) int {
	switch o {
	case outcomeFail:
		return 1
	case outcomeError:
		return 2
	}
	return 0
}

// counts are one resource's counters, kept in its worker (under the daemon's mutex) and
// turned into Prometheus series at each scrape: 1,000 resources cost about 250 KB of
// counters instead of 13,000 live series objects.
type counts struct {
	checks     [2][3]uint64 // by level and outcome
	durCount   [2]uint64
	durSum     [2]float64
	durBuckets [2][len(durationBuckets)]uint64 // not cumulative
	recoveries [2]uint64                       // succeeded, failed
	panics     uint64
}

// observe adds one check's outcome and duration (seconds).
func (c *counts) observe(level, outcome string, seconds float64) {
	l := levelIndex(level)
	c.checks[l][outcomeIndex(outcome)]++
	if outcome == outcomeError {
		return
	}
	c.durCount[l]++
	c.durSum[l] += seconds
	for i, le := range durationBuckets {
		if seconds <= le {
			c.durBuckets[l][i]++
			break
		}
	}
}

// collector makes the daemon's metrics. Every resource's series carry the label tag from
// its first moment (CLI.md) and vanish with the resource when a reload drops it, because
// they are made from the daemon's state at each scrape.
type collector struct {
	d       *Daemon
	started time.Time

	mu       sync.Mutex
	listings map[[2]string]uint64 // by type and outcome
}

func newCollector(d *Daemon) *collector {
	return &collector{d: d, started: time.Now(), listings: map[[2]string]uint64{}}
}

// listed counts one site listing asked of the host.
func (c *collector) listed(typ, outcome string) {
	c.mu.Lock()
	c.listings[[2]string{typ, outcome}]++
	c.mu.Unlock()
}

// sample is one resource's state as a scrape reads it.
type sample struct {
	tag                 string
	counts              counts
	up, flapping, spent bool
	percent             float64
	certs               *certRecord
	pools               []poolSeen
}

// write writes every series, the daemon's and a few of the Go runtime's and the
// process's, in the text exposition format.
func (c *collector) write(w io.Writer) error {
	d := c.d
	d.mu.Lock()
	samples := make([]sample, len(d.order))
	for i, w := range d.order {
		samples[i] = sample{tag: w.def.Tag, counts: w.counts, up: w.up(), flapping: w.pol.flapping,
			spent: w.pol.budgetSpent(), percent: w.pol.percent, certs: &w.certs, pools: w.pools}
	}
	d.mu.Unlock()

	const ns = "iiskit_watch_"
	fam := func(name, typ, help string) *family { return &family{name: ns + name, typ: typ, help: help} }
	var (
		up         = fam("up", typeGauge, "1 when the resource's last quickcheck and last deepcheck both passed, else 0.")
		checks     = fam("checks_total", typeCounter, "Checks run, by level (quick, deep) and outcome (pass, fail, error).")
		duration   = fam("check_duration_seconds", typeHistogram, "How long one check took, lock wait included.")
		recoveries = fam("recoveries_total", typeCounter, "Local recoveries run, by outcome (succeeded, failed).")
		flapping   = fam("flapping", typeGauge, "1 while the resource is flapping (recovery waits), else 0.")
		percent    = fam("state_change_percent", typeGauge, "Weighted percent state change over the last 21 check results (Nagios' flap measure).")
		spent      = fam("recover_budget_spent", typeGauge, "1 while the resource's recovery budget is spent (checked, not recovered), else 0.")
		cert       = fam("cert_not_after_timestamp_seconds", typeGauge, "Expiry (Unix time) of the certificate an https binding presented at the last deepcheck.")
		panics     = fam("panics_total", typeCounter, "Checks or recoveries stopped by an internal error (event 9817); the daemon went on.")
		resources  = fam("resources", typeGauge, "Resources the daemon protects.")
		listings   = fam("site_listings_total", typeCounter, "Site listings asked of the host, one per service type per tick at most, by type and outcome.")
		// Not iiskit_watch_: the name CLI.md gives, a fact about IIS rather than the daemon.
		pool = &family{name: "iiskit_app_pool_state", typ: typeGauge,
			help: "State of each application pool of a W3 resource at its last check, IIS's numbers: 0 Starting, 1 Started, 2 Stopping, 3 Stopped, 4 Unknown."}
	)
	resources.add(float64(len(samples)))
	upper := durationBuckets[:]
	for _, s := range samples {
		up.add(b2f(s.up), "tag", s.tag)
		flapping.add(b2f(s.flapping), "tag", s.tag)
		percent.add(s.percent, "tag", s.tag)
		spent.add(b2f(s.spent), "tag", s.tag)
		panics.add(float64(s.counts.panics), "tag", s.tag)
		recoveries.add(float64(s.counts.recoveries[0]), "tag", s.tag, "outcome", "succeeded")
		recoveries.add(float64(s.counts.recoveries[1]), "tag", s.tag, "outcome", "failed")
		for l, level := range levels {
			for o, outcome := range outcomes {
				checks.add(float64(s.counts.checks[l][o]), "tag", s.tag, "level", level, "outcome", outcome)
			}
			cum := make([]uint64, len(durationBuckets))
			var n uint64
			for i := range durationBuckets {
				n += s.counts.durBuckets[l][i]
				cum[i] = n
			}
			duration.addHistogram(upper, cum, s.counts.durSum[l], s.counts.durCount[l], "tag", s.tag, "level", level)
		}
		for binding, t := range s.certs.snapshot() {
			cert.add(float64(t.Unix()), "tag", s.tag, "binding", binding)
		}
		for _, p := range s.pools {
			if !p.Missing && !p.Unread {
				pool.add(float64(p.State), "tag", s.tag, "pool", p.Name)
			}
		}
	}
	c.mu.Lock()
	for k, n := range c.listings {
		listings.add(float64(n), "type", k[0], "outcome", k[1])
	}
	c.mu.Unlock()
	fams := []*family{up, checks, duration, recoveries, flapping, percent, spent, cert, panics, resources, listings, pool}
	return writeFamilies(w, append(fams, c.runtimeFamilies()...))
}

// runtimeFamilies are a few of the series client_golang's Go and process collectors
// export, under the same names: enough to see the daemon's memory, goroutines and CPU.
func (c *collector) runtimeFamilies() []*family {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gauge := func(name, help string, v float64) *family {
		f := &family{name: name, typ: typeGauge, help: help}
		f.add(v)
		return f
	}
	info := &family{name: "go_info", typ: typeGauge, help: "Information about the Go environment."}
	info.add(1, "version", runtime.Version())
	fams := []*family{
		info,
		gauge("go_goroutines", "Number of goroutines that currently exist.", float64(runtime.NumGoroutine())),
		gauge("go_memstats_heap_alloc_bytes", "Number of heap bytes allocated and currently in use.", float64(ms.HeapAlloc)),
		gauge("go_memstats_heap_inuse_bytes", "Number of heap bytes that are in use.", float64(ms.HeapInuse)),
		gauge("go_memstats_sys_bytes", "Number of bytes obtained from system.", float64(ms.Sys)),
		gauge("process_start_time_seconds", "Start time of the watch daemon since unix epoch in seconds.", float64(c.started.Unix())),
	}
	if cpu, ok := processCPUSeconds(); ok {
		f := &family{name: "process_cpu_seconds_total", typ: typeCounter, help: "Total user and system CPU time spent in seconds."}
		f.add(cpu)
		fams = append(fams, f)
	}
	return fams
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
