package watch

import (
	"github.com/prometheus/client_golang/prometheus"
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

// collector is the daemon's Prometheus collector. Every resource's series carry the label
// tag from its first moment (CLI.md) and vanish with the resource when a reload drops
// it, because they are made from the daemon's state at each scrape.
type collector struct {
	d                                          *Daemon
	up, checks, duration, recoveries, flapping *prometheus.Desc
	percent, spent, cert, panics, resources    *prometheus.Desc
	listings                                   *prometheus.CounterVec
}

var _ prometheus.Collector = (*collector)(nil)

func newCollector(d *Daemon) *collector {
	const ns = "iiskit_watch_"
	tag := []string{"tag"}
	return &collector{
		d:  d,
		up: prometheus.NewDesc(ns+"up", "1 when the resource's last quickcheck and last deepcheck both passed, else 0.", tag, nil),
		checks: prometheus.NewDesc(ns+"checks_total", "Checks run, by level (quick, deep) and outcome (pass, fail, error).",
			[]string{"tag", "level", "outcome"}, nil),
		duration:   prometheus.NewDesc(ns+"check_duration_seconds", "How long one check took, lock wait included.", []string{"tag", "level"}, nil),
		recoveries: prometheus.NewDesc(ns+"recoveries_total", "Local recoveries run, by outcome (succeeded, failed).", []string{"tag", "outcome"}, nil),
		flapping:   prometheus.NewDesc(ns+"flapping", "1 while the resource is flapping (recovery waits), else 0.", tag, nil),
		percent: prometheus.NewDesc(ns+"state_change_percent",
			"Weighted percent state change over the last 21 check results (Nagios' flap measure).", tag, nil),
		spent: prometheus.NewDesc(ns+"recover_budget_spent",
			"1 while the resource's recovery budget is spent (checked, not recovered), else 0.", tag, nil),
		cert: prometheus.NewDesc(ns+"cert_not_after_timestamp_seconds",
			"Expiry (Unix time) of the certificate an https binding presented at the last deepcheck.", []string{"tag", "binding"}, nil),
		panics: prometheus.NewDesc(ns+"panics_total",
			"Checks or recoveries stopped by an internal error (event 9817); the daemon went on.", tag, nil),
		resources: prometheus.NewDesc(ns+"resources", "Resources the daemon protects.", nil, nil),
		listings: prometheus.NewCounterVec(prometheus.CounterOpts{Name: ns + "site_listings_total",
			Help: "Site listings asked of the host, one per service type per tick at most, by type and outcome."}, []string{"type", "outcome"}),
	}
}

// Describe sends every series' description.
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.up, c.checks, c.duration, c.recoveries, c.flapping, c.percent, c.spent, c.cert, c.panics, c.resources} {
		ch <- d
	}
	c.listings.Describe(ch)
}

// sample is one resource's state as a scrape reads it.
type sample struct {
	tag                 string
	counts              counts
	up, flapping, spent bool
	percent             float64
	certs               *certRecord
}

// Collect makes the series from the daemon's state.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	d := c.d
	d.mu.Lock()
	samples := make([]sample, len(d.order))
	for i, w := range d.order {
		samples[i] = sample{tag: w.def.Tag, counts: w.counts, up: w.up(), flapping: w.pol.flapping,
			spent: w.pol.budgetSpent(), percent: w.pol.percent, certs: &w.certs}
	}
	d.mu.Unlock()
	gauge := func(desc *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, v, labels...)
	}
	counter := func(desc *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.CounterValue, float64(v), labels...)
	}
	gauge(c.resources, float64(len(samples)))
	for _, s := range samples {
		gauge(c.up, b2f(s.up), s.tag)
		gauge(c.flapping, b2f(s.flapping), s.tag)
		gauge(c.percent, s.percent, s.tag)
		gauge(c.spent, b2f(s.spent), s.tag)
		counter(c.panics, s.counts.panics, s.tag)
		counter(c.recoveries, s.counts.recoveries[0], s.tag, "succeeded")
		counter(c.recoveries, s.counts.recoveries[1], s.tag, "failed")
		for l, level := range levels {
			for o, outcome := range outcomes {
				counter(c.checks, s.counts.checks[l][o], s.tag, level, outcome)
			}
			buckets := make(map[float64]uint64, len(durationBuckets))
			var cum uint64
			for i, le := range durationBuckets {
				cum += s.counts.durBuckets[l][i]
				buckets[le] = cum
			}
			ch <- prometheus.MustNewConstHistogram(c.duration, s.counts.durCount[l], s.counts.durSum[l], buckets, s.tag, level)
		}
		for binding, t := range s.certs.snapshot() {
			gauge(c.cert, float64(t.Unix()), s.tag, binding)
		}
	}
	c.listings.Collect(ch)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
