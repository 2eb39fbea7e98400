package action

import (
	"context"
	"log/slog"

	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// Recover runs SPEC C1..C4 with P3, the local recovery: it starts the Windows service when
// it is not Running and the site's application pools that are not Started, and waits for
// IIS to report the site Started. It emits 9607, 9609, 9821, 9823 or 9606 on failure and
// nothing on success.
func Recover(ctx context.Context, env Env, res resource.Resource) Outcome {
	r, cancel := begin(ctx, env, res, NameRecover)
	defer cancel()
	release, ok := r.hold() // S4
	if !ok {
		return r.busy()
	}
	defer release()
	return r.outcome(r.recover())
}

func (r *run) recover() bool {
	// C1
	if st := r.serviceState("C1"); st != platform.Running {
		if st, ok := r.waitRunning("C1", st); !ok {
			r.decide(event.RecoverServiceNotStarted, withService(st), r.faultOr("C1", Outcome{Cause: CauseServiceNotRunning, ServiceState: st}))
			return false
		}
	}
	// C2
	site, found := r.findSite("C2")
	if !found {
		r.decide(event.RecoverNoSiteIndex, nil, r.faultOr("C2", Outcome{Cause: CauseSiteAbsent}))
		return false
	}
	// P3 [ext]: the site's application pools are started before C3 waits for the site; a
	// failed pool read gives C2's 9609, the event of a failed listing here.
	if !r.startPools("P3", site, event.RecoverPoolNotStarted, event.RecoverNoSiteIndex) {
		return false
	}
	// C3 judges C2's read first; C4 [ext]: one start request after that first read.
	first := siteRead{site: site, listed: true, found: true}
	startRequested := false
	last := first
	started := r.readSiteUntil("C3", &first, func(sr siteRead) verdict {
		last = sr
		if sr.found && sr.site.State == platform.SiteStarted {
			return settled
		}
		if r.res.Options.RecoverStartsSite && !startRequested {
			startRequested = true
			if err := r.env.Host.StartSite(r.ctx, r.res.Type, site); err != nil {
				r.diag(slog.LevelWarn, "C4", "site start request failed; reading its state anyway", "site", r.res.Site, "err", err)
			}
		}
		return readAgain
	})
	if !started {
		r.decide(event.RecoverSiteNotStarted, nil, r.siteOutcome("C3", last, CauseSiteNotStarted))
	}
	return started
}
