package action

import (
	"context"
	"log/slog"

	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// Remove runs SPEC M1..M6: it takes the site out of service and waits until IIS reports
// it Stopped. It ends with 9558 (exit 0), or exit 1 after 9557 or 9556.
func Remove(ctx context.Context, env Env, res resource.Resource) Outcome {
	r, cancel := begin(ctx, env, res, NameRemove)
	defer cancel()
	release, ok := r.hold() // S4
	if !ok {
		return r.busy()
	}
	defer release()
	if r.remove() {
		r.emit(event.RemoveSucceeded, nil) // M5
		return r.outcome(true)
	}
	return r.outcome(false) // M6: no further event
}

func (r *run) remove() bool {
	// M1
	switch st := r.serviceState("M1"); st {
	case platform.Stopped, platform.StopPending:
		return true // nothing to stop
	case platform.StartPending:
		if st, ok := r.waitRunning("M1", st); !ok {
			r.decide(event.RemoveServiceNotStarted, withService(st), r.faultOr("M1", Outcome{Cause: CauseServiceNotRunning, ServiceState: st}))
			return false
		}
	case 0:
		// The state could not be read: whether the site is serving is unknown, and
		// reporting it stopped could leave it running on two nodes.
		r.decide(event.RemoveServiceNotStarted, withService(st), r.fault)
		return false
	default:
		// Running, and 5, 6, 7, on which the original is silent: treated as Running.
	}
	// M2
	sites, ok := r.listSites("M2")
	if !ok {
		// A listing that failed says nothing about the site: not "gone", so not a success.
		r.decide(event.RemoveSiteNotStopped, nil, r.fault)
		return false
	}
	site, found := platform.FindSite(sites, r.res.Site)
	if !found {
		r.emit(event.RemoveNoSiteIndex, nil)
		return true
	}
	// M3
	if err := r.env.Host.StopSite(r.ctx, r.res.Type, site); err != nil {
		r.diag(slog.LevelWarn, "M3", "site stop request failed; reading its state anyway", "site", r.res.Site, "err", err)
	}
	// M4: a site that is gone is not serving either; a failed listing is read again.
	var last siteRead
	stopped := r.readSiteUntil("M4", nil, func(sr siteRead) verdict {
		last = sr
		if sr.listed && (!sr.found || sr.site.State == platform.SiteStopped) {
			return settled
		}
		return readAgain
	})
	if !stopped {
		r.decide(event.RemoveSiteNotStopped, nil, r.siteOutcome("M4", last, CauseSiteNotStopped))
	}
	return stopped
}
