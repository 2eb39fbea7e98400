package watch

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/clock/clocktest"
	"github.com/iiskit/iiskit/internal/config"
	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/event/eventtest"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// fakeHost is the little of platform.Host the daemon itself touches: its name, and
// listings that it counts.
type fakeHost struct {
	platform.Host // nil: any other call is a test bug and panics
	mu            sync.Mutex
	lists         map[resource.Type]int
	states        int
	listErr       error
	gate          chan struct{} // when set, ListSites waits for it
}

func (h *fakeHost) Hostname() string { return "NODE1" }

func (h *fakeHost) ServiceState(context.Context, string) (platform.ServiceState, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.states++
	return platform.Running, nil
}

func (h *fakeHost) ListSites(ctx context.Context, t resource.Type) ([]platform.Site, error) {
	h.mu.Lock()
	if h.lists == nil {
		h.lists = map[resource.Type]int{}
	}
	h.lists[t]++
	h.mu.Unlock()
	if h.gate != nil {
		<-h.gate
	}
	return []platform.Site{{Name: "A", ID: 1, State: platform.SiteStarted}}, h.listErr
}

// script is a fake set of checks: each tag's check results in order (true = pass), a
// log of what ran, and tags whose checks panic.
type script struct {
	mu      sync.Mutex
	results map[string][]bool
	ran     []string // "tag level" in the order the checks ran
	panics  map[string]bool
}

func (s *script) next(tag, level string) action.Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ran = append(s.ran, tag+" "+level)
	if s.panics[tag] {
		panic("scripted panic in " + tag)
	}
	rs := s.results[tag]
	if len(rs) == 0 {
		return action.Success
	}
	s.results[tag] = rs[1:]
	if rs[0] {
		return action.Success
	}
	return action.Failure
}

func (s *script) checks(recoverStatus action.Status) Checks {
	return Checks{
		Quick: func(_ context.Context, _ action.Env, r resource.Resource) action.Outcome {
			return action.Outcome{Status: s.next(r.Tag, "quick")}
		},
		Deep: func(_ context.Context, _ action.Env, r resource.Resource) action.Outcome {
			return action.Outcome{Status: s.next(r.Tag, "deep")}
		},
		Recover: func(_ context.Context, _ action.Env, r resource.Resource) action.Outcome {
			s.note(r.Tag + " recover")
			return action.Outcome{Status: recoverStatus}
		},
	}
}

func (s *script) note(what string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ran = append(s.ran, what)
}

func (s *script) log() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.ran
	s.ran = nil
	return out
}

// pattern turns "ppf" into results.
func pattern(s string) []bool {
	out := make([]bool, len(s))
	for i, c := range s {
		out[i] = c == 'p'
	}
	return out
}

// testWatch is a quick every second, a deep every hour, and Nagios' flap thresholds.
var testWatch = config.Watch{QuickInterval: time.Second, DeepInterval: time.Hour, FailuresBeforeRecover: 1,
	RecoverBudget: 3, RecoverWindow: time.Hour, FlapLow: 5, FlapHigh: 20}

func file(path string, s config.Watch, tags ...string) *config.File {
	f := &config.File{Path: path, Watch: s}
	for _, tag := range tags {
		f.Resources = append(f.Resources, config.Resource{
			Resource: resource.Resource{Tag: tag, Site: "Site " + tag, Type: resource.W3}, Watch: s})
	}
	return f
}

type harness struct {
	t      *testing.T
	clock  *clocktest.Fake
	events *eventtest.Recorder
	d      *Daemon
	host   *fakeHost
}

var epoch = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func newHarness(t *testing.T, checks Checks, f *config.File) *harness {
	t.Helper()
	h := &harness{t: t, clock: clocktest.New(epoch), events: &eventtest.Recorder{}, host: &fakeHost{}}
	h.d = New(Options{
		Env:    action.Env{Host: h.host, Events: h.events, Clock: h.clock},
		Checks: checks,
	}, f)
	return h
}

// tick advances the fake clock by d, runs one tick and waits for its checks.
func (h *harness) tick(d time.Duration) {
	h.clock.After(d)
	h.d.Tick(h.clock.Now())
	h.d.Wait()
}

// ids returns the events since the last call, as "ID tag".
func (h *harness) ids() []string {
	var out []string
	for _, e := range h.events.Events() {
		out = append(out, fmt.Sprintf("%d %s", e.ID, e.Tag))
	}
	h.events = &eventtest.Recorder{}
	h.d.env.Events = h.events
	return out
}

// series returns the value of the series name{labels...} (label, value pairs) of the
// daemon's /metrics, or -1 when there is no such series.
func (h *harness) series(name string, labels ...string) float64 {
	h.t.Helper()
	return seriesValue(scrape(h.t, h.d), name, labels...)
}

// scrape reads the daemon's /metrics as Prometheus does, with its own text parser: a
// test fails on output a Prometheus server could not read.
func scrape(t *testing.T, d *Daemon) []*dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	d.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/plain; version=0.0.4; charset=utf-8" {
		t.Fatalf("/metrics: status %d, Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	parser := expfmt.NewTextParser(model.LegacyValidation)
	byName, err := parser.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("/metrics is not Prometheus' text format: %v", err)
	}
	families := make([]*dto.MetricFamily, 0, len(byName))
	for _, f := range byName {
		families = append(families, f)
	}
	return families
}

func seriesValue(families []*dto.MetricFamily, name string, labels ...string) float64 {
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	next:
		for _, m := range f.GetMetric() {
			have := map[string]string{}
			for _, l := range m.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for i := 0; i+1 < len(labels); i += 2 {
				if have[labels[i]] != labels[i+1] {
					continue next
				}
			}
			switch {
			case m.Counter != nil:
				return m.Counter.GetValue()
			case m.Gauge != nil:
				return m.Gauge.GetValue()
			case m.Histogram != nil:
				return float64(m.Histogram.GetSampleCount())
			}
		}
	}
	return -1
}

// count returns how many series the family name has.
func (h *harness) count(name string) int {
	h.t.Helper()
	for _, f := range scrape(h.t, h.d) {
		if f.GetName() == name {
			return len(f.GetMetric())
		}
	}
	return 0
}

func TestThresholdBudgetAndWindow(t *testing.T) {
	s := testWatch
	s.FailuresBeforeRecover, s.RecoverBudget, s.RecoverWindow = 2, 2, 10*time.Second
	sc := &script{results: map[string][]bool{"a": pattern(strings.Repeat("f", 40))}}
	h := newHarness(t, sc.checks(action.Failure), file("w.toml", s, "a"))
	if got, want := h.ids(), []string{"9818 "}; !slices.Equal(got, want) {
		t.Fatalf("start events %v, want %v", got, want)
	}
	// Every series carries its tag from the start, before the first check.
	for _, s := range [][]string{{"iiskit_watch_up", "tag", "a"}, {"iiskit_watch_checks_total", "tag", "a", "level", "deep", "outcome", "fail"},
		{"iiskit_watch_check_duration_seconds", "tag", "a", "level", "quick"}, {"iiskit_watch_recover_budget_spent", "tag", "a"}} {
		if got := h.series(s[0], s[1:]...); got != 0 {
			t.Errorf("%v before the first check = %v, want 0", s, got)
		}
	}
	steps := []struct {
		ran    []string
		events []string
	}{
		/* t=0 */ {[]string{"a deep"}, nil},
		/* t=1 */ {[]string{"a quick", "a recover"}, []string{"9810 a", "9812 a"}},
		/* t=2: the recovery asked for a deepcheck at once */ {[]string{"a deep"}, nil},
		/* t=3 */ {[]string{"a quick", "a recover"}, []string{"9810 a", "9812 a"}},
		/* t=4 */ {[]string{"a deep"}, nil},
		/* t=5: two recoveries within 10 s: spent */ {[]string{"a quick"}, []string{"9813 a"}},
		/* t=6..10: spent, checked, not recovered, no second 9813 */ {[]string{"a quick"}, nil},
		{[]string{"a quick"}, nil}, {[]string{"a quick"}, nil}, {[]string{"a quick"}, nil}, {[]string{"a quick"}, nil},
		/* t=11: the recovery of t=1 has left the window */ {[]string{"a quick", "a recover"}, []string{"9810 a", "9812 a"}},
	}
	for i, st := range steps {
		if i > 0 {
			h.tick(time.Second)
		} else {
			h.tick(0)
		}
		if got := sc.log(); !slices.Equal(got, st.ran) {
			t.Errorf("t=%d ran %v, want %v", i, got, st.ran)
		}
		if got := h.ids(); !slices.Equal(got, st.events) {
			t.Errorf("t=%d events %v, want %v", i, got, st.events)
		}
		if i == 5 && h.series("iiskit_watch_recover_budget_spent", "tag", "a") != 1 {
			t.Errorf("t=5 recover_budget_spent = 0, want 1")
		}
	}
	if got := h.series("iiskit_watch_recoveries_total", "tag", "a", "outcome", "failed"); got != 3 {
		t.Errorf("recoveries_total{outcome=failed} = %v, want 3", got)
	}
	if got := h.series("iiskit_watch_recover_budget_spent", "tag", "a"); got != 0 {
		t.Errorf("recover_budget_spent after the window = %v, want 0", got)
	}
}

// TestSuccessResetsTheCount: failures count until the resource is up again (its last
// quickcheck and deepcheck passed); the recovery's 9811 waits for the deepcheck after it.
func TestSuccessResetsTheCount(t *testing.T) {
	s := testWatch
	s.FailuresBeforeRecover = 3
	s.FlapLow, s.FlapHigh = 100, 100 // four changes in eight checks would flap (TestFlapping)
	sc := &script{results: map[string][]bool{"a": pattern("pffpfffp")}}
	h := newHarness(t, sc.checks(action.Success), file("w.toml", s, "a"))
	h.ids()
	var events [][]string
	for i := range 8 {
		h.tick(time.Duration(min(i, 1)) * time.Second)
		events = append(events, h.ids())
	}
	// deep p (up), quick f f (2 failures), quick p (up again: reset), quick f f f (3:
	// recover), then the deepcheck at once passes: 9811.
	want := [][]string{nil, nil, nil, nil, nil, nil, {"9810 a"}, {"9811 a"}}
	for i := range want {
		if !slices.Equal(events[i], want[i]) {
			t.Errorf("check %d events %v, want %v", i+1, events[i], want[i])
		}
	}
	if got := sc.log(); !slices.Equal(got[len(got)-3:], []string{"a quick", "a recover", "a deep"}) {
		t.Errorf("ran %v, want the recovery followed by a deepcheck", got)
	}
	if got := h.series("iiskit_watch_recoveries_total", "tag", "a", "outcome", "succeeded"); got != 1 {
		t.Errorf("recoveries_total{outcome=succeeded} = %v, want 1", got)
	}
}

// TestFlapping alternates pass and fail, then passes: the percentages are those of
// TestPercentStateChange's formula, worked out by hand in the comments.
func TestFlapping(t *testing.T) {
	sc := &script{results: map[string][]bool{"a": pattern("pfpfpf" + strings.Repeat("p", 20))}}
	h := newHarness(t, sc.checks(action.Success), file("w.toml", testWatch, "a"))
	h.ids()
	want := map[int][]string{
		2: {"9810 a"},           // 6.25%: below flap_high, fail -> recover
		3: {"9811 a"},           // the deepcheck after it passes
		4: {"9810 a"},           // 18.36%: still below 20
		5: {"9811 a", "9814 a"}, // 24.21%: flapping starts
		// 6: a failure while flapping: recovery waits, no event
		// 7..25: the transitions age; at 25 two remain at the oldest places, 7.63% > 5
		26: {"9815 a"}, // one transition left, weight 0.75: 3.75% <= 5, flapping ends
	}
	for i := 1; i <= 26; i++ {
		h.tick(time.Duration(min(i-1, 1)) * time.Second)
		got := h.ids()
		if !slices.Equal(got, want[i]) {
			t.Errorf("check %d events %v, want %v", i, got, want[i])
		}
		if i == 6 && h.series("iiskit_watch_flapping", "tag", "a") != 1 {
			t.Error("flapping gauge 0 while flapping")
		}
	}
	if got := h.series("iiskit_watch_flapping", "tag", "a"); got != 0 {
		t.Errorf("flapping gauge %v after it ended, want 0", got)
	}
	if got := h.series("iiskit_watch_state_change_percent", "tag", "a"); got != 3.75 {
		t.Errorf("state_change_percent %v, want 3.75", got)
	}
}

func TestStagger(t *testing.T) {
	s := testWatch
	s.QuickInterval, s.DeepInterval = 8*time.Second, time.Hour
	sc := &script{}
	h := newHarness(t, sc.checks(action.Success), file("w.toml", s, "a", "b", "c", "d"))
	var got [][]string
	for i := range 10 {
		h.tick(time.Duration(min(i, 1)) * time.Second)
		got = append(got, sc.log())
	}
	// Four resources over an 8 s quick interval: a first check every 2 s, then each one
	// every 8 s after its own start.
	want := [][]string{{"a deep"}, nil, {"b deep"}, nil, {"c deep"}, nil, {"d deep"}, nil, {"a quick"}, nil}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("t=%ds ran %v, want %v", i, got[i], want[i])
		}
	}
	if stagger(999, 1000, 2*time.Minute) != 119880*time.Millisecond || stagger(0, 1, time.Minute) != 0 {
		t.Error("stagger of 1,000 resources does not spread them over the interval")
	}
}

func TestReloadKeepsUnchangedResources(t *testing.T) {
	s := testWatch
	s.FailuresBeforeRecover = 5
	sc := &script{results: map[string][]bool{"a": pattern("fff"), "b": pattern("fff")}}
	h := newHarness(t, sc.checks(action.Success), file("w.toml", s, "a", "b", "gone"))
	for i := range 3 {
		h.tick(time.Duration(min(i, 1)) * time.Second)
	}
	h.ids()
	next := file("w2.toml", s, "a", "b", "c")
	next.Resources[1].Site = "Renamed" // b changes: it starts afresh
	if !h.d.Reload("w2.toml", func() (*config.File, error) { return next, nil }) {
		t.Fatal("Reload refused a good file")
	}
	if got, want := h.ids(), []string{"9819 "}; !slices.Equal(got, want) {
		t.Errorf("reload events %v, want %v", got, want)
	}
	st := map[string]ResourceStatus{}
	for _, r := range h.d.Status() {
		st[r.Tag] = r
	}
	if st["a"].Failures != 3 || !st["a"].Deep.Ran || st["a"].State != StateDown {
		t.Errorf("a after reload = %+v, want its 3 failures and its last checks kept", st["a"])
	}
	if st["b"].Failures != 0 || st["b"].Deep.Ran || st["b"].State != StatePending || st["b"].Site != "Renamed" {
		t.Errorf("b after reload = %+v, want a fresh start with the new site", st["b"])
	}
	if _, ok := st["gone"]; ok || st["c"].State != StatePending {
		t.Errorf("after reload: gone present %v, c %+v", ok, st["c"])
	}
	if n := h.count("iiskit_watch_up"); n != 3 {
		t.Errorf("up has %d series after reload, want 3 (gone's deleted)", n)
	}
	bad := errors.New("w3.toml:4: key watch.quick: unknown key")
	if h.d.Reload("w3.toml", func() (*config.File, error) { return nil, bad }) {
		t.Fatal("Reload took a bad file")
	}
	ev := h.events.Events()
	if len(ev) != 1 || ev[0].ID != event.WatchReloadRefused || !strings.Contains(ev[0].Message, "w3.toml:4: key watch.quick: unknown key") ||
		ev[0].Severity != event.Error {
		t.Errorf("refused reload events %+v, want one 9816 naming the file, line and key", ev)
	}
	if len(h.d.Status()) != 3 {
		t.Error("a refused reload changed the resources")
	}
}

func TestPanicIsContained(t *testing.T) {
	sc := &script{panics: map[string]bool{"boom": true}}
	h := newHarness(t, sc.checks(action.Success), file("w.toml", testWatch, "boom", "fine"))
	h.ids()
	h.tick(0)
	h.tick(time.Second) // fine's staggered start (0.5 s) and boom again
	ran := sc.log()
	if !slices.Contains(ran, "fine deep") || slices.Index(ran, "boom quick") < 0 {
		t.Errorf("ran %v: want boom checked again and fine checked", ran)
	}
	got := h.ids()
	if want := []string{"9817 boom", "9817 boom"}; !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
	if n := h.series("iiskit_watch_panics_total", "tag", "boom"); n != 2 {
		t.Errorf("panics_total = %v, want 2", n)
	}
	for _, r := range h.d.Status() {
		if r.Tag == "fine" && r.State != StateUp {
			t.Errorf("fine = %s, want up", r.State)
		}
	}
}

// TestTickViewShared: every check of one tick reads one listing per service type and one
// state per service, errors included.
func TestTickViewShared(t *testing.T) {
	host := &fakeHost{gate: make(chan struct{})}
	var counted []string
	var mu sync.Mutex
	l := newTickView(host, func(t resource.Type, err error) {
		mu.Lock()
		counted = append(counted, fmt.Sprint(t, " ", err))
		mu.Unlock()
	})
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			typ := resource.W3
			if i%2 == 1 {
				typ = resource.FTP
			}
			sites, err := l.ListSites(context.Background(), typ)
			if err == nil && len(sites) != 1 {
				err = fmt.Errorf("%d sites", len(sites))
			}
			if st, serr := l.ServiceState(context.Background(), "W3SVC"); serr != nil || st != platform.Running {
				err = errors.Join(err, fmt.Errorf("service state %v, %v", st, serr))
			}
			errs <- err
		}()
	}
	close(host.gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if host.lists[resource.W3] != 1 || host.lists[resource.FTP] != 1 || host.states != 1 {
		t.Errorf("host listings %v and %d state reads, want one per type and one", host.lists, host.states)
	}

	failing := &fakeHost{listErr: errors.New("appcmd: access denied")}
	l = newTickView(failing, nil)
	_, err1 := l.ListSites(context.Background(), resource.W3)
	_, err2 := l.ListSites(context.Background(), resource.W3)
	if err1 == nil || err1 != err2 || failing.lists[resource.W3] != 1 {
		t.Errorf("errors %v / %v after %d listings: want one listing and its error shared", err1, err2, failing.lists[resource.W3])
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	stuck := newTickView(&fakeHost{gate: make(chan struct{})}, nil)
	if _, err := stuck.ListSites(ctx, resource.W3); !errors.Is(err, context.Canceled) {
		t.Errorf("a caller whose context ended got %v, want context.Canceled", err)
	}
}
