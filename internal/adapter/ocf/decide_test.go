package ocf

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/event"
)

// node is a Node with a fixed answer that counts how often it was asked.
type node struct {
	missing bool
	asked   int
}

func (n *node) ServiceMissing(context.Context) bool { n.asked++; return n.missing }

// fields are the substitutions of a typical event; set adjusts them.
func newEvent(t *testing.T, id event.ID, set func(*event.Fields)) event.Event {
	t.Helper()
	f := event.Fields{
		Tag: "iis-www1", Site: "Default Web Site", System: "NODE1", ServiceName: "W3SVC",
		ServiceCode: 4, ServiceDesc: "RUNNING", SiteState: "Stopped", Binding: "10.0.0.1:80:",
		ActiveSite: "Other", FTPResponse: "530 Login incorrect.\r\n", SiteType: "W3 site",
		CertExpires: "2027-01-01T00:00:00Z", CertDays: 30, SMTPResponse: "554 no",
	}
	if set != nil {
		set(&f)
	}
	e, err := event.New(time.Unix(0, 0), "test", id, f)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func serviceState(code uint32, desc string) func(*event.Fields) {
	return func(f *event.Fields) { f.ServiceCode, f.ServiceDesc = code, desc }
}

// failedWith is the OCF code of start, stop and monitor when the action failed (exit 1)
// with event id as its first Error event, with the fields of newEvent.
var failedWith = map[event.ID]struct{ start, stop, monitor Code }{
	event.QuickServiceStopped:      {ErrGeneric, ErrGeneric, ErrGeneric}, // state 4 in the event: not a clean stop
	event.QuickNoSiteIndex:         {ErrInstalled, ErrGeneric, ErrInstalled},
	event.QuickSiteNotStarted:      {ErrGeneric, ErrGeneric, NotRunning}, // "Stopped"
	event.DeepNoSiteIndex:          {ErrInstalled, ErrGeneric, ErrInstalled},
	event.DeepFTPLoginFailed:       {ErrGeneric, ErrGeneric, ErrGeneric},
	event.PollBadArguments:         {ErrGeneric, ErrGeneric, ErrGeneric},
	event.PollNoHandle:             {ErrGeneric, ErrGeneric, ErrGeneric},
	event.PollFTPNoConnection:      {ErrGeneric, ErrGeneric, ErrGeneric},
	event.PollHTTPNoConnection:     {ErrGeneric, ErrGeneric, ErrGeneric},
	event.PollHTTPNoRequest:        {ErrGeneric, ErrGeneric, ErrGeneric},
	event.PollHTTPNoAnswer:         {ErrGeneric, ErrGeneric, ErrGeneric},
	event.RestoreSiteNotFound:      {ErrInstalled, ErrGeneric, ErrInstalled},
	event.RestoreServiceNotStarted: {ErrGeneric, ErrGeneric, ErrGeneric},
	event.RestoreNoSiteIndex:       {ErrInstalled, ErrGeneric, ErrInstalled},
	event.RestoreBindingInUse:      {ErrGeneric, ErrGeneric, ErrGeneric},
	event.RestoreSiteNotStarted:    {ErrGeneric, ErrGeneric, ErrGeneric},
	event.RestoreFailed:            {ErrGeneric, ErrGeneric, ErrGeneric},
	event.RemoveServiceNotStarted:  {ErrGeneric, ErrGeneric, ErrGeneric},
	event.RemoveSiteNotStopped:     {ErrGeneric, ErrGeneric, ErrGeneric},
	event.RecoverServiceNotStarted: {ErrGeneric, ErrGeneric, ErrGeneric},
	event.RecoverNoSiteIndex:       {ErrInstalled, ErrGeneric, ErrInstalled},
	event.RecoverSiteNotStarted:    {ErrGeneric, ErrGeneric, ErrGeneric},
	event.DeepSMTPNoConnection:     {ErrGeneric, ErrGeneric, ErrGeneric},
	event.DeepSMTPNoAnswer:         {ErrGeneric, ErrGeneric, ErrGeneric},
	// A stopped or missing application pool: the site is started but answers 503, so
	// monitor says OCF_ERR_GENERIC (never "not running") and Pacemaker restores it.
	event.PoolNotStarted:        {ErrGeneric, ErrGeneric, ErrGeneric},
	event.PoolMissing:           {ErrGeneric, ErrGeneric, ErrGeneric},
	event.RestorePoolNotStarted: {ErrGeneric, ErrGeneric, ErrGeneric},
	event.RecoverPoolNotStarted: {ErrGeneric, ErrGeneric, ErrGeneric},
}

// TestDecideEveryEvent maps every catalogue event. An Error event decides a failed
// action; one not in the table above (an event added later) must fail the action
// generically. Warnings and information never fail an action, nor name a reason.
func TestDecideEveryEvent(t *testing.T) {
	ctx := context.Background()
	for _, m := range event.Catalog() {
		e := newEvent(t, m.ID, nil)
		t.Run(fmt.Sprint(m.ID), func(t *testing.T) {
			if m.Severity != event.Error {
				for _, a := range []Action{Start, Monitor} {
					if r := Decide(ctx, a, statusSuccess, []event.Event{e}, &node{}); r != (Result{Code: Success}) {
						t.Errorf("%s succeeded with %s %d: %+v, want success", a, m.Severity, m.ID, r)
					}
					if r := Decide(ctx, a, statusFailure, []event.Event{e}, &node{}); r.Code != ErrGeneric || r.Reason == e.Message {
						t.Errorf("%s failed with only %s %d: %+v, want OCF_ERR_GENERIC without its text", a, m.Severity, m.ID, r)
					}
				}
				return
			}
			want, known := failedWith[m.ID]
			if !known {
				want.start, want.stop, want.monitor = ErrGeneric, ErrGeneric, ErrGeneric
			}
			for _, c := range []struct {
				a    Action
				want Code
			}{{Start, want.start}, {Stop, want.stop}, {Monitor, want.monitor}} {
				r := Decide(ctx, c.a, statusFailure, []event.Event{e}, &node{})
				if r.Code != c.want || r.Reason != reasonOf(e) {
					t.Errorf("%s failed with %d: %v %q, want %v with the event's text", c.a, m.ID, r.Code, r.Reason, c.want)
				}
			}
		})
	}
	for id := range failedWith {
		if m, ok := event.Lookup(id); !ok || m.Severity != event.Error {
			t.Errorf("table lists %d, which is not an Error event of the catalogue", id)
		}
	}
}

// TestDecideStates covers the events whose OCF meaning depends on a state they carry,
// and the node question asked only when the service state was unreadable.
func TestDecideStates(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name    string
		a       Action
		status  int
		events  []event.Event
		missing bool
		want    Code
		asked   int
	}{
		{"monitor: service Stopped", Monitor, 1, []event.Event{newEvent(t, event.QuickServiceStopped, serviceState(1, "STOPPED"))}, false, NotRunning, 0},
		{"monitor: service StopPending", Monitor, 1, []event.Event{newEvent(t, event.QuickServiceStopped, serviceState(3, "STOP_PENDING"))}, false, NotRunning, 0},
		{"monitor: service unreadable, installed", Monitor, 1, []event.Event{newEvent(t, event.QuickServiceStopped, serviceState(0, "UNKNOWN"))}, false, ErrGeneric, 1},
		{"monitor: service not installed", Monitor, 1, []event.Event{newEvent(t, event.QuickServiceStopped, serviceState(0, "UNKNOWN"))}, true, ErrInstalled, 1},
		{"monitor: site Starting (strict)", Monitor, 1, []event.Event{newEvent(t, event.QuickSiteNotStarted, func(f *event.Fields) { f.SiteState = "Starting" })}, false, ErrGeneric, 0},
		{"monitor: site Unknown (strict)", Monitor, 1, []event.Event{newEvent(t, event.QuickSiteNotStarted, func(f *event.Fields) { f.SiteState = "Unknown" })}, false, ErrGeneric, 0},
		{"monitor: site named like a state", Monitor, 1, []event.Event{newEvent(t, event.QuickSiteNotStarted, func(f *event.Fields) {
			f.Site, f.SiteState = `x. Current state is "Stopped".`, "Starting"
		})}, false, ErrGeneric, 0},
		{"monitor: deepcheck with a warning first", Monitor, 1, []event.Event{newEvent(t, event.DeepCertExpiring, nil), newEvent(t, event.PollHTTPNoAnswer, nil)}, false, ErrGeneric, 0},
		{"start: service not installed", Start, 1, []event.Event{newEvent(t, event.RestoreServiceNotStarted, serviceState(0, "UNKNOWN")), newEvent(t, event.RestoreFailed, nil)}, true, ErrInstalled, 1},
		{"start: service would not start", Start, 1, []event.Event{newEvent(t, event.RestoreServiceNotStarted, serviceState(1, "STOPPED")), newEvent(t, event.RestoreFailed, nil)}, true, ErrGeneric, 0},
		{"start: site not found, then 9408", Start, 1, []event.Event{newEvent(t, event.RestoreSiteNotFound, nil), newEvent(t, event.RestoreFailed, nil)}, false, ErrInstalled, 0},
		{"start: success", Start, 0, []event.Event{newEvent(t, event.RestoreSucceeded, nil)}, false, Success, 0},
		{"stop: success", Stop, 0, []event.Event{newEvent(t, event.RemoveSucceeded, nil)}, false, Success, 0},
		{"stop: site absent here (9563, 9558)", Stop, 0, []event.Event{newEvent(t, event.RemoveNoSiteIndex, nil), newEvent(t, event.RemoveSucceeded, nil)}, false, Success, 0},
		{"stop: exit 0 without 9558", Stop, 0, nil, false, ErrGeneric, 0},
		{"stop: service not installed", Stop, 1, []event.Event{newEvent(t, event.RemoveServiceNotStarted, serviceState(0, "UNKNOWN"))}, true, Success, 1},
		{"stop: service unreadable", Stop, 1, []event.Event{newEvent(t, event.RemoveServiceNotStarted, serviceState(0, "UNKNOWN"))}, false, ErrGeneric, 1},
		{"stop: service stuck starting", Stop, 1, []event.Event{newEvent(t, event.RemoveServiceNotStarted, serviceState(2, "START_PENDING"))}, true, ErrGeneric, 0},
		{"stop: site would not stop", Stop, 1, []event.Event{newEvent(t, event.RemoveSiteNotStopped, nil)}, false, ErrGeneric, 0},
		{"stop: failed without an event", Stop, 1, nil, false, ErrGeneric, 0},
		{"monitor: definition error", Monitor, 2, nil, false, ErrConfigured, 0},
		{"start: definition error", Start, 2, nil, false, ErrConfigured, 0},
		{"stop: definition error", Stop, 2, nil, false, ErrConfigured, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := &node{missing: c.missing}
			r := Decide(ctx, c.a, c.status, c.events, n)
			if r.Code != c.want {
				t.Errorf("code %v (%q), want %v", r.Code, r.Reason, c.want)
			}
			if (r.Code == Success) != (r.Reason == "") {
				t.Errorf("reason %q with code %v: a reason goes with every code but success", r.Reason, r.Code)
			}
			if n.asked != c.asked {
				t.Errorf("node asked %d times, want %d", n.asked, c.asked)
			}
		})
	}
}

func TestReasonIsOneLine(t *testing.T) {
	e := newEvent(t, event.DeepFTPLoginFailed, func(f *event.Fields) { f.FTPResponse = "220 hi\r\n530 Login incorrect.\r\n" })
	r := Decide(context.Background(), Monitor, statusFailure, []event.Event{e}, &node{})
	want := `The FTP site "Default Web Site" failed to respond successfully to the user supplied query. A successful FTP login response must include a 230 response line that starts with "230 ". The actual FTP response was as follows: 220 hi 530 Login incorrect.`
	if r.Reason != want {
		t.Errorf("reason\n%q\nwant\n%q", r.Reason, want)
	}
}
