package ocf

import (
	"fmt"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/platform"
)

// Result is what the agent reports: its exit code and, for every code but Success, the
// one ocf-exit-reason line's text.
type Result struct {
	Code   Code
	Reason string
}

// Decide maps the outcome of start (restore), stop (remove) or monitor (quickcheck,
// deepcheck) to the OCF result. It reads only the outcome's cause and the states it
// carries: what the SPEC steps found is the action's business.
func Decide(a Action, o action.Outcome) Result {
	if o.Status == action.Usage {
		return Result{ErrConfigured, reason(o)}
	}
	if a == Stop {
		return decideStop(o)
	}
	if o.Status == action.Success {
		return Result{Code: Success}
	}
	return Result{failureCode(a, o), reason(o)}
}

// decideStop: stop is a success only when remove succeeded (9558: the site is stopped,
// or does not exist here), or when the site's service is not even installed on this node
// (nothing can serve). Any other failure is OCF_ERR_GENERIC, so the cluster escalates
// (fences the node) rather than starting the site a second time.
func decideStop(o action.Outcome) Result {
	switch {
	case o.Status == action.Success:
		return Result{Code: Success}
	case o.Cause == action.CauseServiceAbsent:
		return Result{Code: Success}
	}
	return Result{ErrGeneric, reason(o)}
}

// failureCode is the code of a failed start or monitor. Absent here (the service or the
// site) is OCF_ERR_INSTALLED; cleanly stopped, on monitor, is OCF_NOT_RUNNING (a start
// that leaves the site stopped is a failed start); everything else, the host that could
// not be asked included, is OCF_ERR_GENERIC: a failure that says nothing about this
// node must not ban it.
func failureCode(a Action, o action.Outcome) Code {
	switch o.Cause {
	case action.CauseServiceAbsent, action.CauseSiteAbsent:
		return ErrInstalled
	case action.CauseServiceNotRunning:
		if a == Monitor && (o.ServiceState == platform.Stopped || o.ServiceState == platform.StopPending) {
			return NotRunning // SPEC Q1's cleanly stopped states
		}
	case action.CauseSiteNotStarted:
		if a == Monitor && o.SiteState == platform.SiteStopped {
			return NotRunning // Starting, Stopping, Unknown (strict_site_state) are not clean
		}
	}
	return ErrGeneric
}

// reason is the ocf-exit-reason of a failed outcome: the text of the event that decided
// when that event names the cause, the cause in words otherwise (the original's texts say
// "StateCode = 0" or "the site may not exist" for a host that could not be asked, and a
// lock or a deadline has no event of its own).
func reason(o action.Outcome) string {
	switch o.Cause {
	case action.CauseServiceNotRunning, action.CauseSiteAbsent, action.CauseSiteNotStarted,
		action.CauseSiteNotStopped, action.CauseBindingInUse, action.CauseProbeFailed:
		if o.Event != "" {
			return Sanitize(o.Event)
		}
	case action.CauseNone:
		return "the action failed without naming a cause (see the messages before this line)"
	}
	return Sanitize(o.Why())
}

// Sanitize makes s fit one ocf-exit-reason line that crm_mon and the logs print as text:
// control characters (ESC, BEL, CR, LF, DEL, the C1 set) and the Unicode line and
// paragraph separators are written as escapes (\x1b, \n, \u2028), so that no site name,
// server reply or error can break the line or drive a terminal.
func Sanitize(s string) string {
	return event.EscapeControls(s)
}

// Fail is the result of a failure found before any action ran: a bad definition (6), IIS
// absent (5), an unknown action (3), or a platform that cannot be reached (1).
func Fail(c Code, format string, a ...any) Result {
	return Result{c, Sanitize(fmt.Sprintf(format, a...))}
}
