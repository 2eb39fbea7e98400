package watch

import (
	"bufio"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The daemon writes Prometheus' text exposition format (version 0.0.4) itself instead of
// through client_golang. Every one-shot command (quickcheck, pollsite, an OCF monitor) is
// the same executable as the daemon, and Go runs the package inits of everything linked:
// client_golang's build a default registry with its Go and process collectors, protobuf
// descriptors and, on Linux, procfs' regular expressions, in every process. Measured with
// bench/startup.sh (docs/performance.md, 2026-12-06): about 0.8 ms of the 3 ms an
// `iiskit version` took, and 200 KB and 1,300 allocations before main. The format is a
// few lines per family; the tests read the output back with Prometheus' own parser.

// Metric types, the values of a family's # TYPE line.
const (
	typeCounter   = "counter"
	typeGauge     = "gauge"
	typeHistogram = "histogram"
)

// label is one label pair.
type label struct{ name, value string }

// series is one series of a family: its labels and its value, or for a histogram its
// cumulative bucket counts (one per bound of upper), sum and count.
type series struct {
	labels []label
	value  float64
	upper  []float64
	cum    []uint64
	sum    float64
	count  uint64
}

// family is one metric family: its name, help text, type and series.
type family struct {
	name, help, typ string
	series          []series
}

// add appends a series with value v and labels given as name, value pairs.
func (f *family) add(v float64, pairs ...string) {
	f.series = append(f.series, series{labels: labelPairs(pairs), value: v})
}

// addHistogram appends a histogram series.
func (f *family) addHistogram(upper []float64, cum []uint64, sum float64, count uint64, pairs ...string) {
	f.series = append(f.series, series{labels: labelPairs(pairs), upper: upper, cum: cum, sum: sum, count: count})
}

// labelPairs turns name, value pairs into labels sorted by name, as Prometheus prints them.
func labelPairs(pairs []string) []label {
	ls := make([]label, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		ls = append(ls, label{pairs[i], pairs[i+1]})
	}
	slices.SortFunc(ls, func(a, b label) int { return strings.Compare(a.name, b.name) })
	return ls
}

// writeFamilies writes the families that have series in the text format: families
// sorted by name, the series of each sorted by their label values, as client_golang
// orders them, so that a scrape reads the same from one call to the next.
func writeFamilies(out io.Writer, fams []*family) error {
	w := bufio.NewWriter(out)
	slices.SortFunc(fams, func(a, b *family) int { return strings.Compare(a.name, b.name) })
	for _, f := range fams {
		if len(f.series) == 0 {
			continue // as client_golang: a family without series is not written
		}
		slices.SortStableFunc(f.series, func(a, b series) int {
			for i := range min(len(a.labels), len(b.labels)) {
				if c := strings.Compare(a.labels[i].value, b.labels[i].value); c != 0 {
					return c
				}
			}
			return len(a.labels) - len(b.labels)
		})
		w.WriteString("# HELP " + f.name + " " + escapeHelp(f.help) + "\n# TYPE " + f.name + " " + f.typ + "\n")
		for _, s := range f.series {
			if f.typ != typeHistogram {
				writeSample(w, f.name, s.labels, "", s.value)
				continue
			}
			for i, le := range s.upper {
				writeSample(w, f.name+"_bucket", s.labels, formatFloat(le), float64(s.cum[i]))
			}
			writeSample(w, f.name+"_bucket", s.labels, "+Inf", float64(s.count))
			writeSample(w, f.name+"_sum", s.labels, "", s.sum)
			writeSample(w, f.name+"_count", s.labels, "", float64(s.count))
		}
	}
	return w.Flush()
}

// writeSample writes one line: name{labels[,le="le"]} value.
func writeSample(w *bufio.Writer, name string, labels []label, le string, v float64) {
	w.WriteString(name)
	if len(labels) > 0 || le != "" {
		w.WriteByte('{')
		for i, l := range labels {
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteString(l.name + `="` + escapeLabel(l.value) + `"`)
		}
		if le != "" {
			if len(labels) > 0 {
				w.WriteByte(',')
			}
			w.WriteString(`le="` + le + `"`)
		}
		w.WriteByte('}')
	}
	w.WriteByte(' ')
	w.WriteString(formatFloat(v))
	w.WriteByte('\n')
}

// formatFloat writes a value as the text format and client_golang do.
func formatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// escapeLabel escapes a label value: backslash, double quote and line feed.
func escapeLabel(s string) string { return escape(s, true) }

// escapeHelp escapes a help text: backslash and line feed.
func escapeHelp(s string) string { return escape(s, false) }

// escape is written out rather than a package-level strings.Replacer, which would be built
// when any iiskit process starts.
func escape(s string, quote bool) string {
	if !strings.ContainsAny(s, "\\\n\"") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ { // bytes: a value that is not UTF-8 passes unchanged
		switch c := s[i]; {
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '"' && quote:
			b.WriteString(`\"`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
