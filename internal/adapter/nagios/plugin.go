package nagios

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/iiskit/iiskit/internal/action"
)

// State is a plugin state; its value is the plugin's exit status.
type State int

// The four plugin states.
const (
	OK       State = 0
	Warning  State = 1
	Critical State = 2
	Unknown  State = 3
)

// String returns the state as the status line spells it.
func (s State) String() string {
	switch s {
	case OK:
		return "OK"
	case Warning:
		return "WARNING"
	case Critical:
		return "CRITICAL"
	}
	return "UNKNOWN"
}

// Decide maps a check's outcome to a state and the status line's text: UNKNOWN when
// iiskit could not tell (a bad definition, the host could not be asked, the lock or the
// deadline kept the check from finishing), CRITICAL when the check failed, WARNING when it
// passed with a warning (a binding without an IP address, a certificate about to expire),
// OK otherwise. okText is the text of OK.
func Decide(o action.Outcome, okText string) (State, string) {
	switch {
	case o.Status == action.Usage || o.Fault():
		return Unknown, o.Why()
	case o.Status != action.Success && o.Event != "":
		return Critical, o.Event
	case o.Status != action.Success:
		return Critical, "the check failed: " + o.Why()
	case len(o.Warnings) > 0:
		return Warning, o.Warnings[0]
	}
	return OK, okText
}

// Perf is one performance data item: 'label'=value[UOM];[warn];[crit];[min];[max].
type Perf struct {
	Label string
	Value float64
	UOM   string // "", s, ms, us, %, B, KB, MB, TB or c
	Warn  string // a threshold range, empty when none
	Crit  string
	Min   string
	Max   string
}

// String writes the item in the guidelines' form, numbers in the C locale (a point, no
// grouping). The label is quoted; a quote or an equals sign in it, which Icinga's
// guidelines forbid in labels, becomes an underscore.
func (p Perf) String() string {
	label := strings.NewReplacer("=", "_", "'", "_").Replace(p.Label)
	v := strconv.FormatFloat(p.Value, 'f', -1, 64)
	out := fmt.Sprintf("'%s'=%s%s;%s;%s;%s;%s", label, v, p.UOM, p.Warn, p.Crit, p.Min, p.Max)
	return strings.TrimRight(out, ";")
}

// StatePerf is an IIS state (a site's or an application pool's) as performance data,
// with IIS's own numbers: 0 Starting, 1 Started, 2 Stopping, 3 Stopped, 4 Unknown.
func StatePerf(label string, state int) Perf {
	return Perf{Label: label, Value: float64(state), Min: "0", Max: "4"}
}

// TimePerf is how long the check took, in seconds.
func TimePerf(d time.Duration) Perf {
	return Perf{Label: "time", Value: float64(d.Round(time.Millisecond).Milliseconds()) / 1000, UOM: "s", Min: "0"}
}

// Output is the plugin's whole output: "IIS STATE - text | perfdata", then the long
// output, one line each. A '|' in a text would start performance data, so it becomes
// '/'; a text's line breaks become spaces on the status line.
func Output(s State, text string, perf []Perf, long []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "IIS %s - %s", s, oneLine(text))
	if len(perf) > 0 {
		items := make([]string, len(perf))
		for i, p := range perf {
			items[i] = p.String()
		}
		b.WriteString(" | " + strings.Join(items, " "))
	}
	b.WriteByte('\n')
	for _, l := range long {
		for _, part := range strings.Split(l, "\n") {
			if part = strings.TrimRight(part, "\r"); part != "" {
				b.WriteString(strings.ReplaceAll(part, "|", "/") + "\n")
			}
		}
	}
	return b.String()
}

func oneLine(s string) string {
	return strings.ReplaceAll(strings.Join(strings.Fields(s), " "), "|", "/")
}
