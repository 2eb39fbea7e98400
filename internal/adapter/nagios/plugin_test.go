package nagios

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/platform"
)

// perfItem is one performance data item as a monitoring server reads it.
type perfItem struct {
	label, value, uom string
	fields            []string // warn, crit, min, max as given (trailing ones may be absent)
}

// The rules of the Monitoring Plugins development guidelines ("Performance data",
// https://www.monitoring-plugins.org/doc/guidelines.html) and Icinga's ("Performance Data
// Metrics", https://icinga.com/docs/icinga-2/latest/doc/05-service-monitoring/): value,
// min and max in the class [-0-9.] (the C locale: no decimal comma, no grouping), UOM
// one of none, s, ms, us, %, B, KB, MB, TB, c; warn and crit in the range format; labels
// quoted, without ' or =.
var (
	number   = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
	valueUOM = regexp.MustCompile(`^(-?[0-9.]+)(s|ms|us|%|B|KB|MB|TB|c)?$`)
	rangeFmt = regexp.MustCompile(`^@?(~|-?[0-9.]+)?(:(-?[0-9.]+)?)?$`)
)

// parsePerfdata reads the performance data after the status line's '|' as the guidelines
// define it, and reports the first rule broken.
func parsePerfdata(s string) ([]perfItem, error) {
	var items []perfItem
	s = strings.TrimSpace(s)
	for s != "" {
		var label string
		if strings.HasPrefix(s, "'") {
			end := strings.Index(s[1:], "'=")
			if end < 0 {
				return nil, fmt.Errorf("unterminated quoted label in %q", s)
			}
			label, s = s[1:1+end], s[end+3:]
			if strings.ContainsAny(label, "'=") {
				return nil, fmt.Errorf("label %q holds ' or =", label)
			}
		} else {
			l, rest, ok := strings.Cut(s, "=")
			if !ok || strings.ContainsAny(l, " '") {
				return nil, fmt.Errorf("bad unquoted label in %q", s)
			}
			label, s = l, rest
		}
		item, rest, _ := strings.Cut(s, " ")
		s = strings.TrimLeft(rest, " ")
		parts := strings.Split(item, ";")
		if len(parts) > 5 {
			return nil, fmt.Errorf("%s: %d fields, at most 5", label, len(parts))
		}
		m := valueUOM.FindStringSubmatch(parts[0])
		if m == nil || !number.MatchString(m[1]) {
			return nil, fmt.Errorf("%s: value %q is not a C-locale number with a known UOM", label, parts[0])
		}
		for i, f := range parts[1:] {
			switch {
			case f == "":
			case i < 2 && !rangeFmt.MatchString(f):
				return nil, fmt.Errorf("%s: threshold %q is not in the range format", label, f)
			case i >= 2 && !number.MatchString(f):
				return nil, fmt.Errorf("%s: min/max %q is not a C-locale number", label, f)
			}
		}
		items = append(items, perfItem{label: label, value: m[1], uom: m[2], fields: parts[1:]})
	}
	return items, nil
}

// TestOutputFollowsTheGuidelines: the status line, its performance data read back by a
// parser of the guidelines' format, and the long output.
func TestOutputFollowsTheGuidelines(t *testing.T) {
	perf := []Perf{StatePerf("site_state", 1), StatePerf("pool_Shop Pool_state", 3), StatePerf("pool_it's=odd_state", 1),
		TimePerf(1234567 * time.Microsecond)}
	out := Output(Critical, "Checking LifeKeeper resource \"iis-www1\". Application pool \"Shop|Pool\"\nis stopped.", perf,
		[]string{"Error 9820: one | two", "line one\r\nline two"})
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	status, data, ok := strings.Cut(lines[0], " | ")
	if !ok || strings.Count(lines[0], "|") != 1 {
		t.Fatalf("status line %q: want one '|' before the performance data", lines[0])
	}
	if want := `IIS CRITICAL - Checking LifeKeeper resource "iis-www1". Application pool "Shop/Pool" is stopped.`; status != want {
		t.Errorf("status %q, want %q", status, want)
	}
	items, err := parsePerfdata(data)
	if err != nil {
		t.Fatalf("%v in %q", err, data)
	}
	var got []string
	for _, it := range items {
		got = append(got, fmt.Sprintf("%s=%s%s%q", it.label, it.value, it.uom, it.fields))
	}
	want := []string{`site_state=1["" "" "0" "4"]`, `pool_Shop Pool_state=3["" "" "0" "4"]`, `pool_it_s_odd_state=1["" "" "0" "4"]`, `time=1.235s["" "" "0"]`}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("perfdata\n%s\nwant\n%s", strings.Join(got, " "), strings.Join(want, " "))
	}
	if data != `'site_state'=1;;;0;4 'pool_Shop Pool_state'=3;;;0;4 'pool_it_s_odd_state'=1;;;0;4 'time'=1.235s;;;0` {
		t.Errorf("perfdata text %q", data)
	}
	if long := strings.Join(lines[1:], "\n"); long != "Error 9820: one / two\nline one\nline two" {
		t.Errorf("long output %q", long)
	}
}

// TestParserRejects: the parser itself knows the rules it checks.
func TestParserRejects(t *testing.T) {
	for _, bad := range []string{"'a'=1,5", "'a'=1;;;0;4;9", "'a'=1x", "'a=b'=1", "a b=1", "'a'=1;;;zero", "'a'=1;1,5"} {
		if _, err := parsePerfdata(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestDecide: the plugin state from the check's outcome, its causes written out here:
// a fault (iiskit could not tell) is UNKNOWN, a failure CRITICAL with its event, a pass
// with a Warning event (9773, 9801) WARNING with it, a bare pass OK.
func TestDecide(t *testing.T) {
	unreachable := errors.New("lab host at http://127.0.0.1:1: not reachable")
	for _, tc := range []struct {
		name string
		o    action.Outcome
		want State
		text string
	}{
		{"passed", action.Outcome{Status: action.Success}, OK, "all good"},
		{"passed with a warning", action.Outcome{Status: action.Success, Warnings: []string{"no IP address", "expires"}}, Warning, "no IP address"},
		{"failed: pool stopped", action.Outcome{Status: action.Failure, Cause: action.CausePoolNotStarted, Pool: "Shop", PoolState: platform.PoolStopped,
			Event: "Application pool Shop ... Stopped", Warnings: []string{"w"}}, Critical, "Application pool Shop ... Stopped"},
		{"failed without an event", action.Outcome{Status: action.Failure, Cause: action.CauseSiteNotStarted, SiteState: platform.SiteStopped},
			Critical, "the check failed: the IIS site is not started (state Stopped)"},
		{"host unreachable", action.Outcome{Status: action.Failure, Cause: action.CauseHostUnreachable, Step: "Q1", Err: unreachable, Event: "StateCode = 0"},
			Unknown, "the host could not be asked (Q1): lab host at http://127.0.0.1:1: not reachable"},
		{"out of time", action.Outcome{Status: action.Failure, Cause: action.CauseOutOfTime, Step: "P1"}, Unknown, "the action ran out of time (P1)"},
		{"bad definition", action.Outcome{Status: action.Usage, Cause: action.CauseBadDefinition}, Unknown, "the resource definition is wrong"},
	} {
		s, text := Decide(tc.o, "all good")
		if s != tc.want || text != tc.text {
			t.Errorf("%s: %v %q, want %v %q", tc.name, s, text, tc.want, tc.text)
		}
	}
	for s, want := range map[State]string{OK: "OK", Warning: "WARNING", Critical: "CRITICAL", Unknown: "UNKNOWN"} {
		if s.String() != want || int(s) != map[string]int{"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}[want] {
			t.Errorf("%d: %s", s, s)
		}
	}
}
