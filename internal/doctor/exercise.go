package doctor

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/clock"
	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
)

// SelftestPrefix starts the name of every site and pool --exercise creates: only such
// objects are ever deleted, and an interrupted run's leftovers are found by it.
const SelftestPrefix = "iiskit-selftest-"

// Exerciser creates and deletes --exercise's throwaway W3 site and application pool.
type Exerciser interface {
	// CreateSelftest adds pool, and site with one http binding (bindingInformation)
	// whose root application runs in pool and serves folder.
	CreateSelftest(ctx context.Context, site, pool, binding, folder string) error
	// StopPool stops the throwaway pool: the pool fault the exercise plays.
	StopPool(ctx context.Context, pool string) error
	// DeleteSelftest deletes every site and pool named SelftestPrefix..., returning
	// their names.
	DeleteSelftest(ctx context.Context) ([]string, error)
}

// step is one action of the exercise and the status it must end with.
type step struct {
	action string
	want   action.Status
	ids    string // the events it must emit, in order
}

// The exercise: restore and the checks; a pool fault (the pool stopped), which quickcheck
// reports and recover repairs; remove, and a quickcheck that sees it removed (SPEC's
// events: 9407 restore, 9820 a stopped pool, 9558 remove, 9704 a stopped site).
var (
	upSteps = []step{
		{action.NameRestore, action.Success, "9407"},
		{action.NameQuickCheck, action.Success, ""},
		{action.NameDeepCheck, action.Success, ""},
	}
	poolSteps = []step{
		{action.NameQuickCheck, action.Failure, "9820"},
		{action.NameRecover, action.Success, ""},
		{action.NameQuickCheck, action.Success, ""},
	}
	downSteps = []step{
		{action.NameRemove, action.Success, "9558"},
		{action.NameQuickCheck, action.Failure, "9704"},
	}
)

// Exercise runs doctor --exercise: removes an earlier run's leftovers, creates a
// throwaway site and pool bound to 127.0.0.1 on a free port, runs the actions against
// them, deletes them, and checks nothing is left. Whatever fails, the deletion runs.
func Exercise(ctx context.Context, host platform.Host, ex Exerciser, getenv func(string) string) []Check {
	if ex == nil {
		return []Check{{Name: "exercise", OK: false, Detail: "this platform cannot create a throwaway site: run --exercise on a Windows node"}}
	}
	var out []Check
	add := func(name string, ms float64, err error, okDetail string) bool {
		c := Check{Name: "exercise: " + name, OK: err == nil, Detail: okDetail, MS: ms}
		if err != nil {
			c.Detail = fmt.Sprintf("%v: %s", err, whatToDo(err))
		}
		out = append(out, c)
		return err == nil
	}
	var gone []string
	var err error
	ms := timed(func() { gone, err = ex.DeleteSelftest(ctx) })
	if !add("remove leftovers", ms, err, "none found") {
		return out
	}
	if len(gone) > 0 {
		out[len(out)-1].Detail = "removed an earlier run's " + strings.Join(gone, ", ")
	}
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	name := SelftestPrefix + hex.EncodeToString(suffix)
	port, err := freePort()
	if !add("pick a port", 0, err, fmt.Sprintf("127.0.0.1:%d", port)) {
		return out
	}
	folder, err := os.MkdirTemp("", name)
	if !add("content folder", 0, err, folder) {
		return out
	}
	defer os.RemoveAll(folder)
	_ = os.WriteFile(folder+string(os.PathSeparator)+"index.html", []byte("iiskit self-test\n"), 0o644)
	binding := fmt.Sprintf("127.0.0.1:%d:", port)
	ms = timed(func() { err = ex.CreateSelftest(ctx, name, name, binding, folder) })
	if add("create site and pool", ms, err, fmt.Sprintf("site and pool %s, http/%s", name, binding)) {
		res := resource.Resource{Tag: name, Site: name, Type: resource.W3}
		for _, s := range upSteps {
			out = append(out, runStep(ctx, host, res, s))
		}
		ms = timed(func() { err = ex.StopPool(ctx, name) })
		if add("pool fault (pool stopped)", ms, err, "application pool "+name+" stopped") {
			for _, s := range poolSteps {
				out = append(out, runStep(ctx, host, res, s))
			}
		}
		for _, s := range downSteps {
			out = append(out, runStep(ctx, host, res, s))
		}
	}
	// Delete even after a failure above, with a context of its own so that a spent
	// deadline does not leave the site behind.
	delCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	ms = timed(func() { gone, err = ex.DeleteSelftest(delCtx) })
	add("delete site and pool", ms, err, "deleted "+strings.Join(gone, ", "))
	var left []platform.Site
	ms = timed(func() { left, err = host.ListSites(delCtx, resource.W3) })
	if err == nil {
		for _, s := range left {
			if strings.HasPrefix(s.Name, SelftestPrefix) {
				err = fmt.Errorf("site %q is still there", s.Name)
			}
		}
	}
	add("nothing left behind", ms, err, "no "+SelftestPrefix+"* site remains")
	return out
}

// runStep runs one action against the throwaway site and checks its status and events.
func runStep(ctx context.Context, host platform.Host, res resource.Resource, s step) Check {
	act, _ := action.Lookup(s.action)
	rec := &event.Recorder{}
	env := action.Env{Host: host, Probe: probe.Net{}, Events: rec, Clock: clock.Real{},
		Options: action.Options{RetryInterval: 250 * time.Millisecond, ProbeTimeout: 5 * time.Second, Timeout: 60 * time.Second}}
	var o action.Outcome
	ms := timed(func() { o = act.Run(ctx, env, res) })
	st := o.Status
	var ids, texts []string
	for _, e := range rec.Events() {
		ids = append(ids, fmt.Sprint(e.ID))
		texts = append(texts, fmt.Sprintf("%d %s", e.ID, e.Message))
	}
	got := strings.Join(ids, " ")
	c := Check{Name: "exercise: " + s.action, OK: st == s.want && got == s.ids, MS: ms}
	c.Detail = fmt.Sprintf("exit %d, events [%s]", st, got)
	if !c.OK {
		c.Detail += fmt.Sprintf(" (want exit %d, events [%s]): %s: %s: send this report to iiskit's maintainers", s.want, s.ids, o.Why(), strings.Join(texts, " | "))
	}
	return c
}

// freePort asks the system for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
