package watch

import (
	"context"
	"fmt"
	"net/netip"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/clock/clocktest"
	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/event/eventtest"
	"github.com/iiskit/iiskit/internal/lock"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// TestCheckWaitingForTheLockRaises9804 (SPEC S4): the daemon's check takes the per-tag
// lock through the action, as every entry point does, so while another action (a
// cluster manager's restore, here its lock taken the way the command line takes it)
// holds the tag, the daemon's check says so with 9804, waits, and then runs.
func TestCheckWaitingForTheLockRaises9804(t *testing.T) {
	dir := t.TempDir()
	other, err := lock.Locker{Dir: dir}.Lock(context.Background(), "web")
	if err != nil {
		t.Fatal(err)
	}
	host := &scaleHost{sites: []platform.Site{{Name: "Site web", ID: 1, State: platform.SiteStarted,
		Bindings: []resource.Binding{{Protocol: "http", IP: netip.MustParseAddr("127.0.0.9"), Port: 80}}}}}
	events := &eventtest.Recorder{}
	h := &harness{t: t, clock: clocktest.New(epoch), events: events}
	h.d = New(Options{Env: action.Env{Host: host, Probe: certProbe{}, Events: events, Clock: h.clock},
		Locker: lock.NewKeeper(dir)}, file("w.toml", testWatch, "web"))
	h.ids()
	h.d.Tick(h.clock.Now())
	deadline := time.Now().Add(10 * time.Second)
	for len(h.events.Events()) == 0 && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	other()
	h.d.Wait()
	evs := h.events.Events()
	var got []string
	for _, e := range evs {
		got = append(got, fmt.Sprintf("%s %d %s", e.Action, e.ID, e.Tag))
	}
	if want := []string{"deepcheck 9804 web"}; !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
	if len(evs) > 0 && evs[0].ID != event.ResourceBusy {
		t.Errorf("first event %v, want ResourceBusy", evs[0].ID)
	}
	if got := h.series("iiskit_watch_up", "tag", "web"); got != 1 {
		t.Errorf("up = %v after the lock was released, want 1 (the check ran)", got)
	}
}
