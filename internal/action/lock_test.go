package action

import (
	"context"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/event/eventtest"
	"github.com/iiskit/iiskit/internal/lock"
	p "github.com/iiskit/iiskit/internal/platform"
)

// notifySink records events and closes busy on 9804, so a test synchronises on the event.
type notifySink struct {
	eventtest.Recorder
	busy chan struct{}
}

func (s *notifySink) Emit(e event.Event) error {
	_ = s.Recorder.Emit(e)
	if e.ID == event.ResourceBusy {
		close(s.busy)
	}
	return nil
}

// TestHardening7_BusyLockIsAnEvent: an action whose tag is locked by another says so with
// 9804, waits, and runs once the lock is released; one that waits until its deadline
// fails (restore with 9408). A free lock gives no event.
func TestHardening7_BusyLockIsAnEvent(t *testing.T) {
	dir := t.TempDir()
	locker := lock.Locker{Dir: dir}
	host := func() *fakeHost {
		return &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{withState(p.SiteStarted, bHTTP)}}
	}
	run := func(f actionFunc, sink event.Sink, timeout time.Duration) Status {
		hs := newHarness(host())
		env := hs.env()
		env.Events, env.Locker, env.Options.Timeout = sink, locker, timeout
		return f(context.Background(), env, w3(dws)).Status
	}

	// Free: no event.
	rec := &eventtest.Recorder{}
	if st := run(QuickCheck, rec, time.Minute); st != Success {
		t.Errorf("quickcheck on a free lock: %v", st)
	}
	checkEvents(t, rec)

	held, err := lock.Acquire(context.Background(), dir, "IIS-WWW1") // tags are case-insensitive
	if err != nil {
		t.Fatal(err)
	}
	// Held until the deadline: 9804, then the action's failure.
	for _, tc := range []struct {
		f    actionFunc
		want []string
	}{
		{QuickCheck, []string{www(event.ResourceBusy)}},
		{Restore, []string{www(event.ResourceBusy), www(event.RestoreFailed)}},
		{Remove, []string{www(event.ResourceBusy)}},
	} {
		rec := &notifySink{busy: make(chan struct{})}
		if st := run(tc.f, rec, 100*time.Millisecond); st != Failure {
			t.Errorf("status %v, want failure", st)
		}
		checkEvents(t, &rec.Recorder, tc.want...)
	}

	// Released while waiting: 9804, then the action runs to its end (restore: 9407).
	rec2 := &notifySink{busy: make(chan struct{})}
	done := make(chan Status, 1)
	go func() { done <- run(Restore, rec2, time.Minute) }()
	<-rec2.busy
	held()
	if st := <-done; st != Success {
		t.Errorf("restore after the lock was released: %v", st)
	}
	checkEvents(t, &rec2.Recorder, www(event.ResourceBusy), www(event.RestoreSucceeded))
}
