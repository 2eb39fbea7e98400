package watch

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/config"
	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/resource"
)

// deepFailing are checks for a site IIS reports Started that never answers right (a 500
// against expect_status, a hung site, a refused FTP login): every quickcheck passes,
// every deepcheck fails, and a recovery succeeds (SPEC C3 sees the site Started) without
// curing it. Resource "ok" passes everything.
func deepFailing() Checks {
	return Checks{
		Quick: func(context.Context, action.Env, resource.Resource) action.Outcome {
			return action.Outcome{Status: action.Success}
		},
		Deep: func(_ context.Context, _ action.Env, r resource.Resource) action.Outcome {
			if r.Tag == "ok" {
				return action.Outcome{Status: action.Success}
			}
			return action.Outcome{Status: action.Failure}
		},
		Recover: func(context.Context, action.Env, resource.Resource) action.Outcome {
			return action.Outcome{Status: action.Success}
		},
	}
}

// simulate runs the daemon for span on the fake clock, one tick a second, and returns the
// times (since the start) of every event of resource tag, by ID.
func simulate(h *harness, span time.Duration, tag string) map[event.ID][]time.Duration {
	h.ids()
	at := map[event.ID][]time.Duration{}
	for elapsed := time.Duration(0); elapsed <= span; elapsed += time.Second {
		if elapsed == 0 {
			h.tick(0)
		} else {
			h.tick(time.Second)
		}
		for _, e := range h.events.Events() {
			if e.Tag == tag {
				at[e.ID] = append(at[e.ID], elapsed)
			}
		}
		h.ids()
	}
	return at
}

// TestDeepFailureIsRecoveredAndShownDown: with the documented defaults, a site that
// passes every quickcheck and fails every deepcheck for 6 hours is down all along (a
// quickcheck's pass does not clear the deepcheck's failure), never flaps, is recovered
// as often as the budget allows (3 per hour), never reported recovered (9811) since no
// check after a recovery passes, and is the one down resource of the page.
func TestDeepFailureIsRecoveredAndShownDown(t *testing.T) {
	f := file("w.toml", config.DefaultWatch, "deep", "ok")
	h := newHarness(t, deepFailing(), f)
	at := simulate(h, 6*time.Hour, "deep")

	// Worked out by hand from the defaults (quick 2 min, deep 5 min, 1 failure, 3
	// recoveries per hour): the first deepcheck (t=0) fails and starts a recovery; each
	// recovery asks for a deepcheck at the next tick, which fails and starts the next,
	// until three are spent (9813 at t=3 s). The deepchecks go on every 5 min from
	// t=3 s; the first at or after an hour past t=0 (t=3603 s) finds the window empty,
	// and the cycle repeats every 3603 s.
	var wantRecover, wantSpent []time.Duration
	for cycle := time.Duration(0); cycle*3603*time.Second <= 6*time.Hour; cycle++ {
		start := cycle * 3603 * time.Second
		if start+2*time.Second > 6*time.Hour {
			break
		}
		wantRecover = append(wantRecover, start, start+time.Second, start+2*time.Second)
		wantSpent = append(wantSpent, start+3*time.Second)
	}
	if got := at[event.WatchRecoverStarted]; !equalDurations(got, wantRecover) {
		t.Errorf("recoveries (9810) at %v, want %v", got, wantRecover)
	}
	if got := at[event.WatchRecoverFailed]; !equalDurations(got, shift(wantRecover, time.Second)) {
		t.Errorf("9812 at %v, want one a tick after each recovery (its deepcheck failed): %v", got, shift(wantRecover, time.Second))
	}
	if got := at[event.WatchBudgetSpent]; !equalDurations(got, wantSpent) {
		t.Errorf("9813 at %v, want %v", got, wantSpent)
	}
	if n := len(at[event.WatchRecoverSucceeded]); n != 0 {
		t.Errorf("9811 raised %d times, want 0: no check passed after a recovery", n)
	}
	if n := len(at[event.WatchFlappingStarted]); n != 0 {
		t.Errorf("9814 raised %d times: a resource down all along does not flap", n)
	}
	if got := h.series("iiskit_watch_up", "tag", "deep"); got != 0 {
		t.Errorf("up{deep} = %v, want 0", got)
	}
	if got := h.series("iiskit_watch_recoveries_total", "tag", "deep", "outcome", "failed"); got != float64(len(wantRecover)) {
		t.Errorf("recoveries_total{deep,failed} = %v, want %d", got, len(wantRecover))
	}

	var page bytes.Buffer
	if err := h.d.writePage(&page); err != nil {
		t.Fatal(err)
	}
	p := page.String()
	if !strings.Contains(p, "<title>(1 down) iiskit watch") {
		t.Errorf("page title does not count the deep-failing resource as down:\n%s", firstLines(p, 8))
	}
	if !regexp.MustCompile(`<tr class="failed[^"]*" data-tag="deep" data-state="(down|budget spent)"`).MatchString(p) {
		t.Errorf("the deep-failing resource's row is not marked failed (down)")
	}
	if !regexp.MustCompile(`<tr class="ok" data-tag="ok" data-state="up"`).MatchString(p) {
		t.Errorf("the healthy resource's row is not up")
	}
}

// TestQuickPassDoesNotClearDeepFailure: with failures_before_recover 2, a deepcheck's
// failure is not cleared by the quickchecks that pass after it, so the next deepcheck's
// failure is the second in a row and starts the recovery (issue: 0 recoveries in 6 h).
func TestQuickPassDoesNotClearDeepFailure(t *testing.T) {
	s := config.DefaultWatch
	s.FailuresBeforeRecover = 2
	h := newHarness(t, deepFailing(), file("w.toml", s, "deep"))
	at := simulate(h, 6*time.Hour, "deep")
	rec := at[event.WatchRecoverStarted]
	// The deepchecks at t=0 and t=5 min fail (the quickchecks at 2 and 4 min pass in
	// between): the recovery starts at t=5 min.
	if len(rec) == 0 || rec[0] != 5*time.Minute {
		t.Fatalf("recoveries at %v, want the first at 5m0s", rec)
	}
	// At most the budget within any window, and the budget used every hour.
	for i := range rec {
		if i+3 < len(rec) && rec[i+3]-rec[i] < time.Hour {
			t.Errorf("4 recoveries within an hour: %v", rec[i:i+4])
		}
	}
	if len(rec) < 6*3-3 {
		t.Errorf("%d recoveries in 6 h, want the budget of 3 an hour used (at least 15): %v", len(rec), rec)
	}
	if n := len(at[event.WatchRecoverSucceeded]); n != 0 {
		t.Errorf("9811 raised %d times, want 0", n)
	}
}

// TestRecoverySucceededOnlyWhenChecksPass: 9811 waits for the deepcheck after the
// recovery and is raised only when it passes; otherwise the recovery failed (9812).
func TestRecoverySucceededOnlyWhenChecksPass(t *testing.T) {
	sc := &script{results: map[string][]bool{"a": pattern("pfff" + "p")}}
	s := testWatch
	s.FlapLow, s.FlapHigh = 100, 100
	h := newHarness(t, sc.checks(action.Success), file("w.toml", s, "a"))
	h.ids()
	var got [][]string
	for i := range 4 {
		h.tick(time.Duration(min(i, 1)) * time.Second)
		got = append(got, h.ids())
	}
	// deep p; quick f: recover (C3 saw it Started), deep f: 9812 and recover again,
	// deep f: 9812 and recover...
	want := [][]string{nil, {"9810 a"}, {"9812 a", "9810 a"}, {"9812 a", "9810 a"}}
	for i := range want {
		if !equalStrings(got[i], want[i]) {
			t.Errorf("check %d events %v, want %v", i+1, got[i], want[i])
		}
	}
	h.tick(time.Second) // the budget (3) is spent, but the deepcheck after the third recovery passes
	if got, want := h.ids(), []string{"9811 a"}; !equalStrings(got, want) {
		t.Errorf("after the deepcheck passed: events %v, want %v", got, want)
	}
	if got := h.series("iiskit_watch_recoveries_total", "tag", "a", "outcome", "succeeded"); got != 1 {
		t.Errorf("recoveries_total{succeeded} = %v, want 1", got)
	}
	if got := h.series("iiskit_watch_recoveries_total", "tag", "a", "outcome", "failed"); got != 2 {
		t.Errorf("recoveries_total{failed} = %v, want 2", got)
	}
}

func shift(ds []time.Duration, by time.Duration) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, d := range ds {
		out[i] = d + by
	}
	return out
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

// TestPageShowsSpentBudgetApartFromDown: a resource whose recovery budget is spent and
// that is still down has its own state ("budget spent", its own colour and count) and is
// counted down; one whose budget is spent but that is up again is up, and not counted.
func TestPageShowsSpentBudgetApartFromDown(t *testing.T) {
	s := testWatch
	s.DeepInterval = s.QuickInterval // every check a deepcheck
	sc := &script{results: map[string][]bool{
		"spent-up":   pattern("pffff" + strings.Repeat("p", 5)),
		"spent-down": pattern("pffff" + strings.Repeat("f", 5)),
	}}
	h := newHarness(t, sc.checks(action.Failure), file("w.toml", s, "spent-up", "spent-down", "ok"))
	for i := range 8 {
		h.tick(time.Duration(min(i, 1)) * time.Second)
	}
	var page bytes.Buffer
	if err := h.d.writePage(&page); err != nil {
		t.Fatal(err)
	}
	p := page.String()
	for _, want := range []string{
		"<title>(1 down) iiskit watch",
		`<tr class="failed spent" data-tag="spent-down" data-state="budget spent"`,
		`<tr class="ok" data-tag="spent-up" data-state="up"`,
		"1 of them budget spent",
	} {
		if !strings.Contains(p, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if !regexp.MustCompile(`data-tag="spent-up"[^\n]*\n[^\n]*\n<td>[^\n]*recovery budget spent`).MatchString(p) {
		t.Error("the spent-up row does not note its spent budget")
	}
}
