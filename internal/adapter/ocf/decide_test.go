package ocf

import (
	"errors"
	"strings"
	"testing"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
)

// failed is a failed outcome with cause c, adjusted by set.
func failed(c action.Cause, set func(*action.Outcome)) action.Outcome {
	o := action.Outcome{Status: action.Failure, Cause: c, Step: "X1", Service: "W3SVC", Event: "the deciding event's text"}
	if set != nil {
		set(&o)
	}
	return o
}

var errListing = errors.New("listing W3 sites: lab host at http://127.0.0.1:7780: lab host is not running or not reachable")

// TestDecideEveryCause maps every cause of a failed action, for start, stop and monitor.
// The codes are the OCF guidance's, written out here rather than read from the code:
// 5 only when the service or the site is absent on this node, 7 only for a monitor that
// finds them cleanly stopped, 0 for a stop where nothing can serve, 1 for everything
// else, above all for a host that could not be asked (a transient failure must not ban
// the node).
func TestDecideEveryCause(t *testing.T) {
	for _, c := range []struct {
		name                 string
		o                    action.Outcome
		start, stop, monitor Code
	}{
		{"service Stopped", failed(action.CauseServiceNotRunning, func(o *action.Outcome) { o.ServiceState = platform.Stopped }), ErrGeneric, ErrGeneric, NotRunning},
		{"service StopPending", failed(action.CauseServiceNotRunning, func(o *action.Outcome) { o.ServiceState = platform.StopPending }), ErrGeneric, ErrGeneric, NotRunning},
		{"service StartPending", failed(action.CauseServiceNotRunning, func(o *action.Outcome) { o.ServiceState = platform.StartPending }), ErrGeneric, ErrGeneric, ErrGeneric},
		{"service Paused", failed(action.CauseServiceNotRunning, func(o *action.Outcome) { o.ServiceState = platform.Paused }), ErrGeneric, ErrGeneric, ErrGeneric},
		{"service absent", failed(action.CauseServiceAbsent, nil), ErrInstalled, Success, ErrInstalled},
		{"site absent", failed(action.CauseSiteAbsent, nil), ErrInstalled, ErrGeneric, ErrInstalled},
		{"site Stopped", failed(action.CauseSiteNotStarted, func(o *action.Outcome) { o.SiteState = platform.SiteStopped }), ErrGeneric, ErrGeneric, NotRunning},
		{"site Starting (strict)", failed(action.CauseSiteNotStarted, func(o *action.Outcome) { o.SiteState = platform.SiteStarting }), ErrGeneric, ErrGeneric, ErrGeneric},
		{"site Unknown (strict)", failed(action.CauseSiteNotStarted, func(o *action.Outcome) { o.SiteState = platform.SiteUnknown }), ErrGeneric, ErrGeneric, ErrGeneric},
		{"site not stopped", failed(action.CauseSiteNotStopped, func(o *action.Outcome) { o.SiteState = platform.SiteStarted }), ErrGeneric, ErrGeneric, ErrGeneric},
		{"binding in use", failed(action.CauseBindingInUse, nil), ErrGeneric, ErrGeneric, ErrGeneric},
		{"probe failed", failed(action.CauseProbeFailed, func(o *action.Outcome) { o.Probe = probe.HTTPNoAnswer }), ErrGeneric, ErrGeneric, ErrGeneric},
		{"host unreachable", failed(action.CauseHostUnreachable, func(o *action.Outcome) { o.Err = errListing }), ErrGeneric, ErrGeneric, ErrGeneric},
		{"lock busy", failed(action.CauseLockBusy, nil), ErrGeneric, ErrGeneric, ErrGeneric},
		{"lock unusable", failed(action.CauseLockUnusable, nil), ErrGeneric, ErrGeneric, ErrGeneric},
		{"out of time", failed(action.CauseOutOfTime, nil), ErrGeneric, ErrGeneric, ErrGeneric},
		{"no cause", failed(action.CauseNone, nil), ErrGeneric, ErrGeneric, ErrGeneric},
		// A stopped or missing application pool: the site is started but answers 503, so
		// monitor says OCF_ERR_GENERIC (never "not running") and Pacemaker restores it.
		{"pool stopped", failed(action.CausePoolNotStarted, func(o *action.Outcome) { o.PoolState = platform.PoolStopped }), ErrGeneric, ErrGeneric, ErrGeneric},
		{"pool absent", failed(action.CausePoolAbsent, nil), ErrGeneric, ErrGeneric, ErrGeneric},
		{"a cause added later", failed(action.CausePoolAbsent+1, nil), ErrGeneric, ErrGeneric, ErrGeneric},
		{"bad definition", action.Outcome{Status: action.Usage, Cause: action.CauseBadDefinition}, ErrConfigured, ErrConfigured, ErrConfigured},
		{"success", action.Outcome{Status: action.Success}, Success, Success, Success},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, w := range []struct {
				a    Action
				want Code
			}{{Start, c.start}, {Stop, c.stop}, {Monitor, c.monitor}} {
				r := Decide(w.a, c.o)
				if r.Code != w.want {
					t.Errorf("%s: %v (%q), want %v", w.a, r.Code, r.Reason, w.want)
				}
				if (r.Code == Success) != (r.Reason == "") {
					t.Errorf("%s: reason %q with %v: a reason goes with every code but success", w.a, r.Reason, r.Code)
				}
			}
		})
	}
}

// TestDecideTransientListingIsGeneric is the defect of a listing that failed once (appcmd
// failing, the lab briefly unreachable): the events read as "the site may not exist", yet
// the answer is OCF_ERR_GENERIC with a reason naming the cause, never OCF_ERR_INSTALLED.
func TestDecideTransientListingIsGeneric(t *testing.T) {
	o := failed(action.CauseHostUnreachable, func(o *action.Outcome) {
		o.Step, o.Err = "Q2", errListing
		o.Event = `Checking LifeKeeper resource "iis1". The IIS metabase index for protected site "www1" is null (invalid) on system NODE1. The site may not exist.`
	})
	for _, a := range []Action{Start, Monitor, Stop} {
		r := Decide(a, o)
		if r.Code != ErrGeneric {
			t.Errorf("%s: %v, want OCF_ERR_GENERIC", a, r.Code)
		}
		if !strings.Contains(r.Reason, "could not be asked") || !strings.Contains(r.Reason, "not reachable") || strings.Contains(r.Reason, "may not exist") {
			t.Errorf("%s: reason %q does not name the cause", a, r.Reason)
		}
	}
}

// TestReasonNamesTheCause: a result the event names keeps the event's text (docs/clusters.md);
// a lock that stayed busy names the lock, not "failed without an event" (issue: the busy
// lock's reason).
func TestReasonNamesTheCause(t *testing.T) {
	busy := action.Outcome{Status: action.Failure, Cause: action.CauseLockBusy, Step: "S4",
		Err: errors.New(`resource "iis1": another iiskit action on this resource is still running (waited 1s for lock /run/iiskit/x.lock)`)}
	if r := Decide(Monitor, busy); !strings.Contains(r.Reason, "lock") || strings.Contains(r.Reason, "without") {
		t.Errorf("busy lock: reason %q", r.Reason)
	}
	unusable := action.Outcome{Status: action.Failure, Cause: action.CauseLockUnusable, Step: "S4",
		Err: errors.New("lock folder /tmp/locks: unsafe lock folder: writable by group or others (mode 0777)")}
	if r := Decide(Start, unusable); !strings.Contains(r.Reason, "/tmp/locks") || !strings.Contains(r.Reason, "writable by group or others") {
		t.Errorf("unusable lock folder: reason %q", r.Reason)
	}
	stopped := failed(action.CauseSiteNotStarted, func(o *action.Outcome) {
		o.SiteState = platform.SiteStopped
		o.Event = `Checking LifeKeeper resource "iis1". IIS Site "www1" on system NODE1 is not in the started state. Current state is "Stopped".`
	})
	if r := Decide(Monitor, stopped); r.Reason != stopped.Event {
		t.Errorf("stopped site: reason %q, want the event's text", r.Reason)
	}
	absent := failed(action.CauseServiceAbsent, func(o *action.Outcome) { o.Event = "... StateCode = 0." })
	if r := Decide(Monitor, absent); !strings.Contains(r.Reason, "not installed") {
		t.Errorf("service absent: reason %q", r.Reason)
	}
}

// TestReasonIsSanitized: no control character reaches the ocf-exit-reason line, whatever
// the site name, the server's reply or the error holds (crm_mon prints it).
func TestReasonIsSanitized(t *testing.T) {
	const hostile = "www\x1b[31m\x07\r\nfake\u2028line\u2029\x7f\u0085"
	for _, r := range []Result{
		Decide(Monitor, failed(action.CauseProbeFailed, func(o *action.Outcome) { o.Event = "FTP replies: 530 " + hostile })),
		Decide(Start, failed(action.CauseHostUnreachable, func(o *action.Outcome) { o.Err = errors.New(hostile) })),
		Decide(Stop, action.Outcome{Status: action.Usage, Cause: action.CauseBadDefinition, Err: errors.New(hostile)}),
		Fail(ErrConfigured, "site %q: %s", "x", hostile),
	} {
		if i := strings.IndexFunc(r.Reason, func(c rune) bool {
			return c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == 0x2028 || c == 0x2029
		}); i >= 0 {
			t.Errorf("reason %q holds a control character at %d", r.Reason, i)
		}
		if r.Reason == "" {
			t.Errorf("empty reason for %v", r.Code)
		}
	}
}

func TestReasonIsOneLine(t *testing.T) {
	o := failed(action.CauseProbeFailed, func(o *action.Outcome) {
		o.ProbeType = resource.FTP
		o.Event = `The FTP site "Default Web Site" failed to respond successfully to the user supplied query. A successful FTP login response must include a 230 response line that starts with "230 ". The actual FTP response was as follows: 220 hi 530 Login incorrect.`
	})
	if r := Decide(Monitor, o); r.Reason != o.Event {
		t.Errorf("reason\n%q\nwant\n%q", r.Reason, o.Event)
	}
}
