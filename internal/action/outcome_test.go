package action

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/event"
	p "github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
)

// noService is the host's answer for a service that is not installed.
var noService = fmt.Errorf("querying service W3SVC: %w", p.ErrNoService)

// TestOutcomeCauses: each failing step returns the cause it found, with the state it read,
// the step's name and, for what could not be found out, the error. Above all a listing
// that failed is "the host could not be asked", never "the site is absent", although
// both give the same event (the original cannot tell them apart).
func TestOutcomeCauses(t *testing.T) {
	running := []p.ServiceState{p.Running}
	started := [][]p.Site{withState(p.SiteStarted, bHTTP)}
	failing := [][]p.Site{nil}
	absent := [][]p.Site{listing(site("Other", 2, p.SiteStarted, bHTTP))}
	for _, c := range []struct {
		name   string
		f      actionFunc
		host   *fakeHost
		probe  []probe.Result
		cause  Cause
		step   string
		check  func(Outcome) bool // the state or detail the cause carries
		fault  bool               // Err must be set
		events int                // how many events carry the cause (restore's 9408 too)
	}{
		{"Q1 Stopped", QuickCheck, &fakeHost{states: []p.ServiceState{p.Stopped}, listings: started}, nil,
			CauseServiceNotRunning, "Q1", func(o Outcome) bool { return o.ServiceState == p.Stopped && o.Service == "W3SVC" }, false, 1},
		{"Q1 unreadable", QuickCheck, &fakeHost{states: []p.ServiceState{0}, listings: started}, nil,
			CauseHostUnreachable, "Q1", nil, true, 1},
		{"Q1 service not installed", QuickCheck, &fakeHost{states: []p.ServiceState{0}, stateErr: noService, listings: started}, nil,
			CauseServiceAbsent, "Q1", nil, false, 1},
		{"Q2 listing fails", QuickCheck, &fakeHost{states: running, listings: failing}, nil,
			CauseHostUnreachable, "Q2", nil, true, 1},
		{"Q2 site absent", QuickCheck, &fakeHost{states: running, listings: absent}, nil,
			CauseSiteAbsent, "Q2", nil, false, 1},
		{"Q3 site Stopped", QuickCheck, &fakeHost{states: running, listings: [][]p.Site{withState(p.SiteStopped, bHTTP)}}, nil,
			CauseSiteNotStarted, "Q3", func(o Outcome) bool { return o.SiteState == p.SiteStopped }, false, 1},
		{"D3 listing fails", DeepCheck, &fakeHost{states: running, listings: [][]p.Site{withState(p.SiteStarted, bHTTP), nil}}, nil,
			CauseHostUnreachable, "D3", nil, true, 1},
		{"D3 site gone", DeepCheck, &fakeHost{states: running, listings: [][]p.Site{withState(p.SiteStarted, bHTTP), absent[0]}}, nil,
			CauseSiteAbsent, "D3", nil, false, 1},
		{"D4.5 no answer", DeepCheck, &fakeHost{states: running, listings: started}, []probe.Result{{Code: probe.HTTPNoAnswer, Err: errors.New("http: status 503")}},
			CauseProbeFailed, "D4.5", func(o Outcome) bool { return o.Probe == probe.HTTPNoAnswer && o.Binding == bHTTP.Info() }, false, 1},
		{"D4.5 result beyond 6, no event", DeepCheck, &fakeHost{states: running, listings: started}, []probe.Result{{Code: 9}},
			CauseProbeFailed, "D4.5", func(o Outcome) bool { return o.Probe == 9 && o.Event == "" }, false, 0},
		{"R1 listing fails", Restore, &fakeHost{states: running, listings: failing}, nil,
			CauseHostUnreachable, "R1", nil, true, 2},
		{"R1 site absent", Restore, &fakeHost{states: running, listings: absent}, nil,
			CauseSiteAbsent, "R1", nil, false, 2},
		{"R2 service falls back to Stopped", Restore, &fakeHost{states: []p.ServiceState{p.Stopped}, listings: started}, nil,
			CauseServiceNotRunning, "R2", func(o Outcome) bool { return o.ServiceState == p.Stopped }, false, 2},
		{"R2 service stays StartPending to the deadline", Restore, &fakeHost{states: []p.ServiceState{p.StartPending}, listings: started}, nil,
			CauseOutOfTime, "R2", func(o Outcome) bool {
				return errors.Is(o.Err, context.DeadlineExceeded) && o.ServiceState == p.StartPending
			}, true, 2},
		{"R3 listing fails", Restore, &fakeHost{states: running, listings: [][]p.Site{withState(p.SiteStopped, bHTTP), nil}}, nil,
			CauseHostUnreachable, "R3", nil, true, 2},
		{"R4 binding in use", Restore, &fakeHost{states: running, listings: [][]p.Site{listing(site(dws, 1, p.SiteStopped, bHTTP), site("Intranet", 7, p.SiteStarted, bHTTP))}}, nil,
			CauseBindingInUse, "R4", func(o Outcome) bool { return o.Binding == bHTTP.Info() && o.OtherSite == "Intranet" }, false, 2},
		{"R6 site stays Stopped", Restore, &fakeHost{states: running, listings: [][]p.Site{withState(p.SiteStopped, bHTTP)}}, nil,
			CauseSiteNotStarted, "R6", func(o Outcome) bool { return o.SiteState == p.SiteStopped }, false, 2},
		{"M1 unreadable", Remove, &fakeHost{states: []p.ServiceState{0}, listings: started}, nil,
			CauseHostUnreachable, "M1", nil, true, 1},
		{"M1 service not installed", Remove, &fakeHost{states: []p.ServiceState{0}, stateErr: noService, listings: started}, nil,
			CauseServiceAbsent, "M1", nil, false, 1},
		{"M2 listing fails", Remove, &fakeHost{states: running, listings: failing}, nil,
			CauseHostUnreachable, "M2", nil, true, 1},
		{"M4 site stays Started", Remove, &fakeHost{states: running, listings: started}, nil,
			CauseSiteNotStopped, "M4", func(o Outcome) bool { return o.SiteState == p.SiteStarted }, false, 1},
		{"C1 service falls back to Stopped", Recover, &fakeHost{states: []p.ServiceState{p.Stopped}, listings: started}, nil,
			CauseServiceNotRunning, "C1", func(o Outcome) bool { return o.ServiceState == p.Stopped }, false, 1},
		{"C2 listing fails", Recover, &fakeHost{states: running, listings: failing}, nil,
			CauseHostUnreachable, "C2", nil, true, 1},
		{"C2 site absent", Recover, &fakeHost{states: running, listings: absent}, nil,
			CauseSiteAbsent, "C2", nil, false, 1},
		{"C3 site stays Stopped", Recover, &fakeHost{states: running, listings: [][]p.Site{withState(p.SiteStopped, bHTTP)}}, nil,
			CauseSiteNotStarted, "C3", func(o Outcome) bool { return o.SiteState == p.SiteStopped }, false, 1},
		{"C3 last read fails", Recover, &fakeHost{states: running, listings: [][]p.Site{withState(p.SiteStopped, bHTTP), nil}}, nil,
			CauseHostUnreachable, "C3", nil, true, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			hs := newHarness(c.host)
			hs.prober.http = c.probe
			o := hs.outcome(t, c.f, w3(dws))
			if o.Status != Failure || o.Cause != c.cause || o.Step != c.step {
				t.Fatalf("outcome %v %v at %q (%s), want failure %v at %q", o.Status, o.Cause, o.Step, o.Why(), c.cause, c.step)
			}
			if c.check != nil && !c.check(o) {
				t.Errorf("outcome %+v does not carry what the step found", o)
			}
			if (o.Err != nil) != c.fault && c.cause != CauseProbeFailed && c.cause != CauseServiceAbsent {
				t.Errorf("Err = %v; want one: %v", o.Err, c.fault)
			}
			if o.Fault() != c.fault {
				t.Errorf("Fault() = %v, want %v", o.Fault(), c.fault)
			}
			carried := 0
			for _, e := range hs.rec.Events() {
				if e.Cause != "" {
					carried++
					if e.Cause != o.Why() {
						t.Errorf("event %d cause %q, want the outcome's %q", e.ID, e.Cause, o.Why())
					}
				}
			}
			if carried != c.events {
				t.Errorf("%d events carry the cause, want %d: %v", carried, c.events, hs.rec.Events())
			}
			if c.events > 0 && o.Event != strings.Join(strings.Fields(hs.rec.Events()[0].Message), " ") {
				// the deciding event is the first of every list above
				t.Errorf("outcome's event %q, want the deciding event's text", o.Event)
			}
		})
	}
}

// TestOutcomeSuccess: a success carries no cause, and no event carries one (a warning
// such as 9563 included); the warning's text is the outcome's Warnings.
func TestOutcomeSuccess(t *testing.T) {
	hs := newHarness(&fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{listing(site("Other", 2, p.SiteStarted, bHTTP))}})
	o := hs.outcome(t, Remove, w3(dws))
	warning := strings.TrimPrefix(www(9563), "Warning 9563: ")
	if !reflect.DeepEqual(o, Outcome{Status: Success, Warnings: []string{warning}}) || o.Why() != "" {
		t.Errorf("outcome %+v, want a bare success with the warning %q", o, warning)
	}
	checkEvents(t, hs.rec, www(9563), www(9558))
	for _, e := range hs.rec.Events() {
		if e.Cause != "" {
			t.Errorf("event %d carries cause %q on a success", e.ID, e.Cause)
		}
	}
}

// TestOutcomeOneLineEvent: the deciding event's text is kept on one line (an FTP server's
// replies span lines), as an ocf-exit-reason needs it.
func TestOutcomeOneLineEvent(t *testing.T) {
	hs := newHarness(&fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{withState(p.SiteStarted, bFTP)}})
	hs.prober.ftp = []probe.Result{{Code: probe.FTPNoAnswer, Replies: "220 hi\r\n530 Login incorrect.\r\n"}}
	res := w3(dws)
	res.Type = resource.FTP
	o := hs.outcome(t, DeepCheck, res)
	if o.Cause != CauseProbeFailed || !strings.HasSuffix(o.Event, "was as follows: 220 hi 530 Login incorrect.") {
		t.Errorf("outcome %v, event %q", o.Cause, o.Event)
	}
}

// stubLocker is a Locker whose TryLock and Lock fail as scripted.
type stubLocker struct{ tryErr, lockErr error }

func (l stubLocker) TryLock(string) (func(), bool, error) {
	if l.tryErr != nil {
		return nil, false, l.tryErr
	}
	return nil, false, nil // held by another action
}

func (l stubLocker) Lock(ctx context.Context, _ string) (func(), error) {
	<-ctx.Done()
	return nil, l.lockErr
}

// TestOutcomeLock: a lock folder that cannot be used is event 9805 [ext] naming it (and
// restore's 9408), the lock-unusable cause; a lock busy until the deadline is lock-busy,
// after 9804, instead of a failure without a cause.
func TestOutcomeLock(t *testing.T) {
	unsafe := errors.New("lock folder /tmp/locks: unsafe lock folder: writable by group or others (mode 0777)")
	busy := errors.New(`resource "iis-www1": another iiskit action on this resource is still running`)
	for _, c := range []struct {
		name   string
		f      actionFunc
		locker stubLocker
		cause  Cause
		want   []string
	}{
		{"quickcheck, unsafe folder", QuickCheck, stubLocker{tryErr: unsafe}, CauseLockUnusable, []string{www(event.LockUnusable, unsafe.Error())}},
		{"restore, unsafe folder", Restore, stubLocker{tryErr: unsafe}, CauseLockUnusable, []string{www(event.LockUnusable, unsafe.Error()), www(9408)}},
		{"quickcheck, busy", QuickCheck, stubLocker{lockErr: busy}, CauseLockBusy, []string{www(event.ResourceBusy)}},
		{"restore, busy", Restore, stubLocker{lockErr: busy}, CauseLockBusy, []string{www(event.ResourceBusy), www(9408)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			hs := newHarness(&fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{withState(p.SiteStarted, bHTTP)}})
			env := hs.env()
			env.Locker = c.locker
			env.Options.Timeout = 50 * time.Millisecond
			o := c.f(context.Background(), env, w3(dws))
			if o.Status != Failure || o.Cause != c.cause || o.Step != "S4" || o.Err == nil {
				t.Errorf("outcome %+v, want failure %v at S4 with the lock's error", o, c.cause)
			}
			if !strings.Contains(o.Why(), o.Err.Error()) {
				t.Errorf("Why %q does not name %q", o.Why(), o.Err)
			}
			checkEvents(t, hs.rec, c.want...)
			if n := hs.host.count(""); n != 0 {
				t.Errorf("the host was asked %d times without the lock: %q", n, hs.host.calls)
			}
		})
	}
}

// TestOutcomeWaits: a wait for the service that ends at the deadline says why: the host
// could not be asked the whole time (not "out of time"), the service manager refused (with
// its error), or the service stayed pending.
func TestOutcomeWaits(t *testing.T) {
	for _, c := range []struct {
		name  string
		host  *fakeHost
		cause Cause
		check func(Outcome) bool
	}{
		{"reads fail to the deadline", &fakeHost{states: []p.ServiceState{0}}, CauseHostUnreachable,
			func(o Outcome) bool { return o.Err != nil && !errors.Is(o.Err, context.DeadlineExceeded) }},
		{"start refused", &fakeHost{states: []p.ServiceState{p.Stopped}, startErr: refused}, CauseServiceNotRunning,
			func(o Outcome) bool { return errors.Is(o.Err, p.ErrStartRefused) && o.ServiceState == p.Stopped }},
		{"start refused, not installed", &fakeHost{states: []p.ServiceState{p.Stopped}, startErr: fmt.Errorf("%w: %w", p.ErrStartRefused, noService)}, CauseServiceAbsent, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			hs := newHarness(c.host)
			o := hs.outcome(t, Recover, w3(dws))
			if o.Status != Failure || o.Cause != c.cause || o.Step != "C1" || c.check != nil && !c.check(o) {
				t.Errorf("outcome %+v (%s), want %v at C1", o, o.Why(), c.cause)
			}
		})
	}
}
