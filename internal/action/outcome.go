package action

import (
	"fmt"
	"strings"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
)

// Cause is why an action ended as it did: one of a small closed set, so that the
// adapters (OCF, WSFC, watch) decide on it instead of restating the SPEC steps from
// event numbers and state strings.
type Cause int

// The causes. Each names what the action found (a result) or what kept it from finding
// out (a fault: Outcome.Err is set).
const (
	// CauseNone: the action succeeded.
	CauseNone Cause = iota
	// CauseServiceNotRunning: the IIS service is not running, or did not reach Running
	// (Q1, R2, M1, C1); Outcome.ServiceState is the state read.
	CauseServiceNotRunning
	// CauseServiceAbsent: the site's IIS service is not installed on this node.
	CauseServiceAbsent
	// CauseSiteAbsent: the site does not exist here (no index: Q2, D3, R1, R3, C2; at R1
	// also a site without bindings).
	CauseSiteAbsent
	// CauseSiteNotStarted: the site is not started (Q3, R6, C3); Outcome.SiteState is
	// its state.
	CauseSiteNotStarted
	// CauseSiteNotStopped: remove could not see the site stopped (M4); Outcome.SiteState
	// is the last state read.
	CauseSiteNotStopped
	// CauseBindingInUse: another started site holds one of the site's bindings (R4);
	// Outcome.Binding and Outcome.OtherSite name them.
	CauseBindingInUse
	// CauseProbeFailed: a binding did not answer its probe (D4.4, D4.5, deep_smtp);
	// Outcome.Probe is the pollsite result, Outcome.ProbeType which probe ran.
	CauseProbeFailed
	// CauseHostUnreachable: the host could not be asked: a site listing or a state read
	// failed (appcmd failing, the lab host unreachable). Outcome.Err is the failure. It
	// says nothing about the site.
	CauseHostUnreachable
	// CauseLockBusy: another action held the tag's lock until this action's deadline
	// (S4).
	CauseLockBusy
	// CauseLockUnusable: the tag's lock could not be taken at all: the lock folder is
	// unsafe (a link, another owner, writable by others) or cannot be created.
	CauseLockUnusable
	// CauseOutOfTime: the deadline (or a signal) ended the action before a step could
	// decide.
	CauseOutOfTime
	// CauseBadDefinition: the resource definition or the command line is wrong (exit
	// status 2); set by the entry points, which check the definition before any action.
	CauseBadDefinition
	// CausePoolNotStarted: an application pool the site needs is not started, or did not
	// start (P1, P2, P3); Outcome.Pool and Outcome.PoolState name it and its state.
	CausePoolNotStarted
	// CausePoolAbsent: an application pool the site needs does not exist (P1, P2, P3);
	// Outcome.Pool names it.
	CausePoolAbsent
)

var causeNames = [...]string{
	CauseNone:              "none",
	CauseServiceNotRunning: "service-not-running",
	CauseServiceAbsent:     "service-absent",
	CauseSiteAbsent:        "site-absent",
	CauseSiteNotStarted:    "site-not-started",
	CauseSiteNotStopped:    "site-not-stopped",
	CauseBindingInUse:      "binding-in-use",
	CauseProbeFailed:       "probe-failed",
	CauseHostUnreachable:   "host-unreachable",
	CauseLockBusy:          "lock-busy",
	CauseLockUnusable:      "lock-unusable",
	CauseOutOfTime:         "out-of-time",
	CauseBadDefinition:     "bad-definition",
	CausePoolNotStarted:    "pool-not-started",
	CausePoolAbsent:        "pool-absent",
}

// String returns the cause as a short token, e.g. "host-unreachable".
func (c Cause) String() string {
	if c >= 0 && int(c) < len(causeNames) {
		return causeNames[c]
	}
	return fmt.Sprintf("cause %d", int(c))
}

// Outcome is what an action returns: its exit status and why. The fields after Cause
// are set only for the causes whose documentation names them.
type Outcome struct {
	Status Status
	Cause  Cause
	// Step is the SPEC step that decided (Q1, R4, S4 ...); empty on success.
	Step string
	// Service is the Windows service name ($SVCTYPE), and ServiceState the state read
	// for CauseServiceNotRunning (and for CauseOutOfTime in a wait for the service: the
	// state it was still in); 0 when it could not be read.
	Service      string
	ServiceState platform.ServiceState
	// SiteState is the site's state for CauseSiteNotStarted and CauseSiteNotStopped.
	SiteState platform.SiteState
	// Probe is the pollsite result (SPEC D4.6) of CauseProbeFailed, and ProbeType which
	// probe gave it: W3 an HTTP request, FTP a login, SMTP greeting/EHLO/QUIT.
	Probe     probe.Code
	ProbeType resource.Type
	// Binding is the binding probed (CauseProbeFailed) or in use (CauseBindingInUse);
	// OtherSite the started site holding it.
	Binding   string
	OtherSite string
	// Pool is the application pool of CausePoolNotStarted and CausePoolAbsent, PoolState
	// its state for CausePoolNotStarted.
	Pool      string
	PoolState platform.PoolState
	// PoolsStarted are the application pools the action found not Started, asked to start
	// and then read Started (P2, P3), in order, whatever the outcome: the watch daemon
	// reports them as part of its local recovery (SPEC P3).
	PoolsStarted []PoolStart
	// Err is what failed for the faults (host, lock, deadline, definition) and the
	// probe's own diagnosis for CauseProbeFailed; nil otherwise.
	Err error
	// Event is the text of the event that decided, on one line; empty when the action
	// ended without one.
	Event string
	// Warnings are the texts of the Warning events the action wrote, in order, each on
	// one line (a binding without an IP address, a certificate about to expire, a busy
	// lock): a check that passed may still want attention (the Nagios plugin's WARNING).
	Warnings []string
	// Seen is what the action last read of the site and of each application pool, so
	// that an adapter reporting states (the Nagios plugin's performance data) need not
	// ask IIS again; a state the action did not reach is absent.
	Seen Seen
}

// Seen is the site state and the application pool states an action read last.
type Seen struct {
	// Site is true once the site was found, and SiteState its state at the last read.
	Site      bool
	SiteState platform.SiteState
	// Pools are the pools whose state was read, in the order first read, each with its
	// last state.
	Pools []PoolSeen
}

// PoolSeen is the last state read of one application pool.
type PoolSeen struct {
	Pool  string
	State platform.PoolState
}

// PoolStart is an application pool an action started: its name and the state it was in
// before the start request.
type PoolStart struct {
	Pool string
	Was  platform.PoolState
}

// Why says in words, on one line, why the action ended as it did: the cause first, then
// what it found or what failed. It is empty on success.
func (o Outcome) Why() string {
	var s string
	switch o.Cause {
	case CauseNone:
		return ""
	case CauseServiceNotRunning:
		s = fmt.Sprintf("IIS service %s is not running (state %s)", o.Service, o.ServiceState)
	case CauseServiceAbsent:
		s = fmt.Sprintf("IIS service %s is not installed on this node", o.Service)
	case CauseSiteAbsent:
		s = "the IIS site does not exist on this node"
	case CauseSiteNotStarted:
		s = fmt.Sprintf("the IIS site is not started (state %s)", o.SiteState)
	case CauseSiteNotStopped:
		s = fmt.Sprintf("the IIS site did not stop (state %s)", o.SiteState)
	case CauseBindingInUse:
		s = fmt.Sprintf("binding %s is in use by started site %q", o.Binding, o.OtherSite)
	case CauseProbeFailed:
		s = fmt.Sprintf("%s of binding %s failed: %s", probeName(o.ProbeType), o.Binding, o.Probe.Label(o.ProbeType))
	case CauseHostUnreachable:
		s = "the host could not be asked"
	case CauseLockBusy:
		s = "another iiskit action held the resource's lock until this action's deadline"
	case CauseLockUnusable:
		s = "the resource's lock could not be taken"
	case CauseOutOfTime:
		s = "the action ran out of time"
	case CauseBadDefinition:
		s = "the resource definition is wrong"
	case CausePoolNotStarted:
		s = fmt.Sprintf("application pool %q is not started (state %s)", o.Pool, o.PoolState)
	case CausePoolAbsent:
		s = fmt.Sprintf("application pool %q does not exist", o.Pool)
	default:
		s = o.Cause.String()
	}
	if o.Step != "" {
		s += " (" + o.Step + ")"
	}
	if o.Err != nil {
		s += ": " + o.Err.Error()
	}
	return strings.Join(strings.Fields(s), " ")
}

// Fault reports whether the action could not find out (host, lock, deadline, definition)
// rather than found the site unhealthy; the events' texts, which are the original's, do
// not name such a cause.
func (o Outcome) Fault() bool {
	switch o.Cause {
	case CauseHostUnreachable, CauseLockBusy, CauseLockUnusable, CauseOutOfTime, CauseBadDefinition:
		return true
	}
	return false
}

func probeName(t resource.Type) string {
	switch t {
	case resource.FTP:
		return "the FTP login"
	case resource.SMTP:
		return "the SMTP check"
	}
	return "the HTTP request"
}
