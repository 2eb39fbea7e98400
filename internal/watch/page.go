package watch

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
)

//go:embed status.html
var pageFiles embed.FS

// pageTemplate is parsed on first use: only the daemon serves the page, and every
// one-shot command links this package.
var pageTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("status.html").Funcs(template.FuncMap{
		"ago": func(now, t time.Time) string {
			if t.IsZero() {
				return "never"
			}
			return now.Sub(t).Round(time.Second).String() + " ago"
		},
		"dur": durationText,
		"ms":  func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) },
	}).ParseFS(pageFiles, "status.html"))
})

// State is a resource's condition at a glance, as the status page names it.
type State string

// The states of the status page, worst first. A resource down whose recovery budget is
// spent is "budget spent" (down, and no longer recovered); one whose budget is spent but
// that is up again is "up".
const (
	StateSpent      State = "budget spent"
	StateDown       State = "down"
	StateFlapping   State = "flapping"
	StateRecovering State = "recovering"
	StatePending    State = "pending"
	StateUp         State = "up"
)

// Class is the state as a CSS class name.
func (s State) Class() string { return "state-" + strings.ReplaceAll(string(s), " ", "-") }

// ResourceStatus is one resource as the status page shows it.
type ResourceStatus struct {
	Tag, Site, Type  string
	State            State
	Quick, Deep      result
	Failures         int
	Recoveries       int
	Percent          float64
	Events           []seenEvent
	Spark            template.HTML // inline SVG of the latency history
	QuickEvery       time.Duration
	DeepEvery        time.Duration
	LastCheckLatency time.Duration
	// BudgetSpent: recover_budget is spent within recover_window (the resource may be up
	// again meanwhile); Flapping: the resource's state changes too often to recover.
	BudgetSpent, Flapping bool
	// Pools are the resource's application pools as its last check's tick saw them.
	Pools []poolSeen
}

// Failed reports whether the resource is down: its checks failed (its last quickcheck or
// its last deepcheck), whether it is being recovered, still to be, or no longer (budget
// spent). The page's "(N down)" counts these.
func (r ResourceStatus) Failed() bool {
	return r.State == StateDown || r.State == StateSpent || r.State == StateRecovering
}

// Status returns every resource's status, in file order.
func (d *Daemon) Status() []ResourceStatus {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]ResourceStatus, 0, len(d.order))
	for _, w := range d.order {
		s := ResourceStatus{
			Tag: w.def.Tag, Site: w.def.Site, Type: w.def.Type.String(),
			Quick: w.quick, Deep: w.deep, Failures: w.pol.failures, Recoveries: w.recovered,
			Percent: w.pol.percent, Events: w.events.recent(), Spark: sparkline(w.lat),
			QuickEvery: w.def.Watch.QuickInterval, DeepEvery: w.def.Watch.DeepInterval,
			BudgetSpent: w.pol.budgetSpent(), Flapping: w.pol.flapping, Pools: w.pools,
		}
		if n := len(w.lat); n > 0 {
			s.LastCheckLatency = w.lat[n-1]
		}
		switch {
		case !w.quick.Ran && !w.deep.Ran:
			s.State = StatePending
		case w.recovering:
			s.State = StateRecovering
		case w.up() && w.pol.flapping:
			s.State = StateFlapping
		case w.up():
			s.State = StateUp
		case w.pol.budgetSpent():
			s.State = StateSpent
		default:
			s.State = StateDown
		}
		out = append(out, s)
	}
	return out
}

// pageData is what status.html renders.
type pageData struct {
	Now       time.Time
	Host      string
	File      string
	Since     time.Time
	Resources []ResourceStatus
	// Down counts the failed resources (the title's "(N down)"); Spent those of them
	// whose budget is spent, which the daemon no longer recovers.
	Up, Down, Spent int
	Refresh         int
}

// writePage renders the status page: failed resources first, then the rest in file order.
func (d *Daemon) writePage(w io.Writer) error {
	rs := d.Status()
	slices.SortStableFunc(rs, func(a, b ResourceStatus) int {
		switch {
		case a.Failed() == b.Failed():
			return 0
		case a.Failed():
			return -1
		}
		return 1
	})
	data := pageData{Now: d.env.Clock.Now(), Host: d.env.Host.Hostname(), Since: d.started, Resources: rs, Refresh: 5}
	d.mu.Lock()
	data.File = d.file.Path
	d.mu.Unlock()
	for _, r := range rs {
		switch {
		case r.State == StateUp:
			data.Up++
		case r.Failed():
			data.Down++
		}
		if r.State == StateSpent {
			data.Spent++
		}
	}
	return pageTemplate().Execute(w, data)
}

// sparkline draws the latency history as a small inline SVG polyline; no script, no
// external asset.
func sparkline(lat []time.Duration) template.HTML {
	const w, h = 120, 24
	if len(lat) == 0 {
		return template.HTML(fmt.Sprintf(`<svg class="spark" width="%d" height="%d" role="img" aria-label="no checks yet"></svg>`, w, h))
	}
	top := slices.Max(lat)
	if top <= 0 {
		top = 1
	}
	var pts strings.Builder
	step := float64(w-2) / float64(max(len(lat)-1, 1))
	for i, d := range lat {
		x := 1 + float64(i)*step
		y := float64(h-2) - float64(d)/float64(top)*float64(h-4)
		fmt.Fprintf(&pts, "%.1f,%.1f ", x, y)
	}
	// Every value is a number the daemon formatted: nothing from outside enters the SVG.
	return template.HTML(fmt.Sprintf(`<svg class="spark" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="latency of the last %d checks, highest %s"><polyline fill="none" stroke="currentColor" stroke-width="1.5" points="%s"/></svg>`,
		w, h, w, h, len(lat), top.Round(time.Microsecond), strings.TrimSpace(pts.String())))
}
