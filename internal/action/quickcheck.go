package action

import (
	"context"

	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// QuickCheck runs SPEC Q1..Q4 and P1: the service is not stopped, the site exists and is
// not Stopped, and neither is any of its application pools. It emits 9705, 9707, 9704,
// 9820 or 9821 on failure and nothing on success.
func QuickCheck(ctx context.Context, env Env, res resource.Resource) Outcome {
	r, cancel := begin(ctx, env, res, NameQuickCheck)
	defer cancel()
	release, ok := r.hold() // S4
	if !ok {
		return r.busy()
	}
	defer release()
	return r.outcome(r.quickCheck())
}

// quickCheck is Q1..Q3 and P1, shared with deepcheck's D1.
func (r *run) quickCheck() bool {
	// Q1: only Stopped and StopPending fail; a pending start still passes, as in the
	// original. A state that cannot be read fails too (reported as 0).
	st := r.serviceState("Q1")
	if st == 0 || st == platform.Stopped || st == platform.StopPending {
		r.decide(event.QuickServiceStopped, withService(st), r.faultOr("Q1", Outcome{Cause: CauseServiceNotRunning, ServiceState: st}))
		return false
	}
	// Q2 and Q3 read one listing: IIS returns the index and the state together.
	site, found := r.findSite("Q2")
	if !found {
		r.decide(event.QuickNoSiteIndex, nil, r.faultOr("Q2", Outcome{Cause: CauseSiteAbsent}))
		return false
	}
	// Q3: the original looks only for Stopped; a site in transition (Starting, Stopping,
	// Unknown) passes, and D4 then succeeds without a probe. strict_site_state [ext]
	// fails every state but Started.
	if site.State == platform.SiteStopped || r.res.Options.StrictSiteState && site.State != platform.SiteStarted {
		r.decide(event.QuickSiteNotStarted, func(f *event.Fields) { f.SiteState = site.State.String() },
			Outcome{Cause: CauseSiteNotStarted, Step: "Q3", SiteState: site.State})
		return false
	}
	// P1 [ext]: the site's application pools (W3 only).
	if !r.checkPools(site) {
		return false
	}
	return true // Q4
}
