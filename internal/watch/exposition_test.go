package watch

import (
	"bytes"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestExpositionText: /metrics is Prometheus' text format 0.0.4 (prometheus.io, "Exposition
// formats"): # HELP and # TYPE before each family, families by name, labels by name,
// series by label values, a histogram's cumulative _bucket lines up to le="+Inf" then _sum
// and _count; a family without series is left out (as client_golang does); in a label
// value backslash, double quote and line feed are escaped, in a help text backslash and
// line feed. The expected text is written out here from that document, and Prometheus'
// own parser must read back the label value unchanged.
func TestExpositionText(t *testing.T) {
	hostile := "a\"b\\c\nd"
	g := &family{name: "x_up", typ: typeGauge, help: `1 when up, C:\ paths` + "\nsecond line"}
	g.add(1, "tag", "zz")
	g.add(0, "tag", hostile)
	c := &family{name: "x_checks_total", typ: typeCounter, help: "Checks."}
	c.add(3, "tag", "t", "level", "quick", "outcome", "pass")
	c.add(1700000000, "tag", "t", "level", "deep", "outcome", "fail")
	h := &family{name: "x_duration_seconds", typ: typeHistogram, help: "How long."}
	h.addHistogram([]float64{.0025, 30}, []uint64{1, 4}, 12.5, 5, "tag", "t")
	n := &family{name: "x_resources", typ: typeGauge, help: "Resources."}
	n.add(2)
	empty := &family{name: "x_cert", typ: typeGauge, help: "No series yet."}

	var b bytes.Buffer
	if err := writeFamilies(&b, []*family{g, c, empty, h, n}); err != nil {
		t.Fatal(err)
	}
	want := `# HELP x_checks_total Checks.
# TYPE x_checks_total counter
x_checks_total{level="deep",outcome="fail",tag="t"} 1.7e+09
x_checks_total{level="quick",outcome="pass",tag="t"} 3
# HELP x_duration_seconds How long.
# TYPE x_duration_seconds histogram
x_duration_seconds_bucket{tag="t",le="0.0025"} 1
x_duration_seconds_bucket{tag="t",le="30"} 4
x_duration_seconds_bucket{tag="t",le="+Inf"} 5
x_duration_seconds_sum{tag="t"} 12.5
x_duration_seconds_count{tag="t"} 5
# HELP x_resources Resources.
# TYPE x_resources gauge
x_resources 2
# HELP x_up 1 when up, C:\\ paths\nsecond line
# TYPE x_up gauge
x_up{tag="a\"b\\c\nd"} 0
x_up{tag="zz"} 1
`
	if b.String() != want {
		t.Errorf("/metrics text:\n%s\nwant:\n%s", b.String(), want)
	}
	parser := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := parser.TextToMetricFamilies(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("Prometheus' parser rejects the text: %v", err)
	}
	up := fams["x_up"]
	if up == nil || len(up.GetMetric()) != 2 || up.GetMetric()[0].GetLabel()[0].GetValue() != hostile {
		t.Errorf("the hostile label value did not come back unchanged: %v", up)
	}
	if got := fams["x_duration_seconds"].GetMetric()[0].GetHistogram().GetSampleCount(); got != 5 {
		t.Errorf("histogram count %d, want 5", got)
	}
}
