package ocf

import (
	"context"
	"fmt"
	"strings"

	"github.com/iiskit/iiskit/internal/event"
)

// Result is what the agent reports: its exit code and, for every code but Success, the
// one ocf-exit-reason line's text.
type Result struct {
	Code   Code
	Reason string
}

// Node answers the one question the events cannot: whether the resource's IIS service
// is installed on this node. An event reports an unreadable service state as 0 either
// way; only the platform tells "not installed" (OCF_ERR_INSTALLED) from "could not ask"
// (OCF_ERR_GENERIC). It is consulted only then.
type Node interface {
	ServiceMissing(ctx context.Context) bool
}

// The action exit statuses of SPEC §2, as package cli returns them.
const (
	statusSuccess = 0
	statusFailure = 1
	statusUsage   = 2
)

// Decide maps the exit status and events of start (restore), stop (remove) or monitor
// (quickcheck, deepcheck) to the OCF result.
// Only the first Error event decides (the closing 9408 of restore follows its cause);
// warnings and information never fail an action.
func Decide(ctx context.Context, a Action, status int, events []event.Event, node Node) Result {
	if status == statusUsage {
		return Result{ErrConfigured, "the resource definition is wrong (see the messages before this line)"}
	}
	first, hasError := firstError(events)
	if a == Stop {
		return decideStop(ctx, status, events, first, hasError, node)
	}
	if status == statusSuccess {
		return Result{Code: Success}
	}
	r := decideFailure(ctx, first, hasError, node)
	if a == Start && r.Code == NotRunning {
		// A start that leaves the site stopped is a failed start, never "not running".
		r.Code = ErrGeneric
	}
	return r
}

// decideStop: stop is a success only when remove ended with 9558 (the site is really
// stopped, or does not exist here: 9563 then 9558), or when the service is not even
// installed on this node (nothing can serve). Any other failure is OCF_ERR_GENERIC, so
// the cluster escalates (fences the node) rather than starting the site a second time.
func decideStop(ctx context.Context, status int, events []event.Event, first event.Event, hasError bool, node Node) Result {
	if status == statusSuccess {
		for _, e := range events {
			if e.ID == event.RemoveSucceeded {
				return Result{Code: Success}
			}
		}
		return Result{ErrGeneric, "remove ended without event 9558, so the site is not known to be stopped"}
	}
	if hasError && first.ID == event.RemoveServiceNotStarted && stateUnknown(first) && node.ServiceMissing(ctx) {
		return Result{Code: Success}
	}
	if !hasError {
		return Result{ErrGeneric, "remove failed without an event (see the messages before this line)"}
	}
	return Result{ErrGeneric, reasonOf(first)}
}

// decideFailure maps the first Error event of a failed check or start.
func decideFailure(ctx context.Context, first event.Event, hasError bool, node Node) Result {
	if !hasError {
		return Result{ErrGeneric, "the action failed without an event (see the messages before this line)"}
	}
	reason := reasonOf(first)
	switch first.ID {
	case event.QuickServiceStopped: // 9705
		switch first.ServiceState {
		case "STOPPED", "STOP_PENDING": // SPEC Q1's cleanly stopped states
			return Result{NotRunning, reason}
		case "UNKNOWN":
			if node.ServiceMissing(ctx) {
				return Result{ErrInstalled, reason}
			}
		}
		return Result{ErrGeneric, reason}
	case event.QuickSiteNotStarted: // 9704
		if first.SiteState == "Stopped" {
			return Result{NotRunning, reason}
		}
		return Result{ErrGeneric, reason} // Starting, Stopping, Unknown under strict_site_state
	case event.QuickNoSiteIndex, event.DeepNoSiteIndex, event.RestoreSiteNotFound,
		event.RestoreNoSiteIndex, event.RecoverNoSiteIndex: // 9707, 9765, 9414, 9420, 9609
		return Result{ErrInstalled, reason}
	case event.RestoreServiceNotStarted, event.RecoverServiceNotStarted: // 9409, 9607
		if stateUnknown(first) && node.ServiceMissing(ctx) {
			return Result{ErrInstalled, reason}
		}
	}
	return Result{ErrGeneric, reason}
}

func firstError(events []event.Event) (event.Event, bool) {
	for _, e := range events {
		if e.Severity == event.Error {
			return e, true
		}
	}
	return event.Event{}, false
}

// reasonOf is an event's text on one line (an FTP server's replies may span lines).
func reasonOf(e event.Event) string {
	return strings.Join(strings.Fields(e.Message), " ")
}

// stateUnknown tells whether 9409, 9607 or 9557 report a service state that could not
// be read (UNKNOWN): the service may not be installed.
func stateUnknown(e event.Event) bool {
	return e.ServiceState == "UNKNOWN"
}

// Fail is the result of a failure found before any action ran: a bad definition (6), IIS
// absent (5), an unknown action (3), or a platform that cannot be reached (1).
func Fail(c Code, format string, a ...any) Result {
	return Result{c, fmt.Sprintf(format, a...)}
}
