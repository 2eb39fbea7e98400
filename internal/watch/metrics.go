package watch

import (
	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the daemon's Prometheus series. Every per-resource series carries the label
// tag from the resource's first moment (CLI.md), and is deleted when a reload drops the
// resource (Kubernetes' prober worker does the same).
type metrics struct {
	up          *prometheus.GaugeVec
	checks      *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	recoveries  *prometheus.CounterVec
	flapping    *prometheus.GaugeVec
	flapPercent *prometheus.GaugeVec
	budgetSpent *prometheus.GaugeVec
	certExpiry  *prometheus.GaugeVec
	panics      *prometheus.CounterVec
	listings    *prometheus.CounterVec
	resources   prometheus.Gauge
}

// Check levels and outcomes, the values of the labels level and outcome.
const (
	levelQuick = "quick"
	levelDeep  = "deep"

	outcomePass  = "pass"
	outcomeFail  = "fail"
	outcomeError = "error" // the check could not run (lock busy) or panicked
)

func newMetrics(reg prometheus.Registerer) *metrics {
	const ns = "iiskit_watch"
	m := &metrics{
		up: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "up",
			Help: "1 when the resource's last quickcheck and last deepcheck both passed, else 0."}, []string{"tag"}),
		checks: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "checks_total",
			Help: "Checks run, by level (quick, deep) and outcome (pass, fail, error)."}, []string{"tag", "level", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "check_duration_seconds",
			Help:    "How long one check took, lock wait included.",
			Buckets: []float64{.0025, .01, .025, .1, .25, 1, 2.5, 10, 30}}, []string{"tag", "level"}),
		recoveries: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "recoveries_total",
			Help: "Local recoveries run, by outcome (succeeded, failed)."}, []string{"tag", "outcome"}),
		flapping: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "flapping",
			Help: "1 while the resource is flapping (recovery waits), else 0."}, []string{"tag"}),
		flapPercent: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "state_change_percent",
			Help: "Weighted percent state change over the last 21 check results (Nagios' flap measure)."}, []string{"tag"}),
		budgetSpent: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "recover_budget_spent",
			Help: "1 while the resource's recovery budget is spent (checked, not recovered), else 0."}, []string{"tag"}),
		certExpiry: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "cert_not_after_timestamp_seconds",
			Help: "Expiry (Unix time) of the certificate an https binding presented at the last deepcheck."}, []string{"tag", "binding"}),
		panics: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "panics_total",
			Help: "Checks or recoveries stopped by an internal error (event 9817); the daemon went on."}, []string{"tag"}),
		listings: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "site_listings_total",
			Help: "Site listings asked of the host, one per service type per tick at most, by type and outcome."}, []string{"type", "outcome"}),
		resources: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "resources",
			Help: "Resources the daemon protects."}),
	}
	reg.MustRegister(m.up, m.checks, m.duration, m.recoveries, m.flapping, m.flapPercent, m.budgetSpent,
		m.certExpiry, m.panics, m.listings, m.resources)
	return m
}

// add creates tag's series at zero, so that they exist from the start; the rare ones
// (outcome error, a certificate) appear when they first count, which keeps 1,000
// resources' series in a few MiB.
func (m *metrics) add(tag string) {
	m.up.WithLabelValues(tag).Set(0)
	for _, level := range []string{levelQuick, levelDeep} {
		for _, o := range []string{outcomePass, outcomeFail} {
			m.checks.WithLabelValues(tag, level, o)
		}
		m.duration.WithLabelValues(tag, level)
	}
	m.recoveries.WithLabelValues(tag, "succeeded")
	m.recoveries.WithLabelValues(tag, "failed")
	m.flapping.WithLabelValues(tag).Set(0)
	m.flapPercent.WithLabelValues(tag).Set(0)
	m.budgetSpent.WithLabelValues(tag).Set(0)
	m.panics.WithLabelValues(tag)
}

// remove deletes every series of tag.
func (m *metrics) remove(tag string) {
	l := prometheus.Labels{"tag": tag}
	for _, v := range []interface{ DeletePartialMatch(prometheus.Labels) int }{
		m.up, m.checks, m.duration, m.recoveries, m.flapping, m.flapPercent, m.budgetSpent, m.certExpiry, m.panics,
	} {
		v.DeletePartialMatch(l)
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
