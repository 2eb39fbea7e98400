package action

import (
	"context"
	"log/slog"

	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// Restore runs SPEC R1..R8 with P2: it brings the site into service, starting its Windows
// service and its application pools first when needed, and refuses to start it while
// another started site holds one of its bindings. It ends with 9407 (exit 0) or 9408 (exit 1).
func Restore(ctx context.Context, env Env, res resource.Resource) Outcome {
	r, cancel := begin(ctx, env, res, NameRestore)
	defer cancel()
	release, ok := r.hold() // S4
	if !ok {
		return r.busy()
	}
	defer release()
	if r.restore() {
		r.emit(event.RestoreSucceeded, nil) // R7
		return r.outcome(true)
	}
	r.decide(event.RestoreFailed, nil, Outcome{}) // R8, with the cause decided before
	return r.outcome(false)
}

func (r *run) restore() bool {
	// R1
	sr := r.readSite("R1")
	if !sr.found || len(sr.site.Bindings) == 0 {
		// A listing that failed is not an absent site: the outcome tells them apart.
		r.decide(event.RestoreSiteNotFound, nil, r.faultOr("R1", Outcome{Cause: CauseSiteAbsent}))
		return false
	}
	// R2
	if st := r.serviceState("R2"); st != platform.Running {
		if st, ok := r.waitRunning("R2", st); !ok {
			r.decide(event.RestoreServiceNotStarted, withService(st), r.faultOr("R2", Outcome{Cause: CauseServiceNotRunning, ServiceState: st}))
			return false
		}
	}
	// R3
	sites, ok := r.listSites("R3")
	site, found := platform.FindSite(sites, r.res.Site)
	if !ok || !found {
		r.decide(event.RestoreNoSiteIndex, nil, r.faultOr("R3", Outcome{Cause: CauseSiteAbsent}))
		return false
	}
	// R4: the same listing holds every site of the service.
	if b, other, clash := bindingInUse(site, sites); clash {
		r.decide(event.RestoreBindingInUse, func(f *event.Fields) {
			f.Binding = b.Info()
			f.ActiveSite = other.Name
		}, Outcome{Cause: CauseBindingInUse, Step: "R4", Binding: b.Info(), OtherSite: other.Name})
		return false
	}
	// P2 [ext]: the site's application pools are started before the site; a failed pool
	// read gives R3's 9420, the event of a failed listing here.
	if !r.startPools("P2", site, event.RestorePoolNotStarted, event.RestoreNoSiteIndex) {
		return false
	}
	// R5
	if err := r.env.Host.StartSite(r.ctx, r.res.Type, site); err != nil {
		r.diag(slog.LevelWarn, "R5", "site start request failed; reading its state anyway", "site", r.res.Site, "err", err)
	}
	// R6 [ext]: a site still Starting is read again, up to Reads reads in all.
	var last siteRead
	started := r.readSiteUntil("R6", nil, func(sr siteRead) verdict {
		last = sr
		switch {
		case !sr.found:
			return failed
		case sr.site.State == platform.SiteStarted:
			return settled
		case sr.site.State == platform.SiteStarting:
			return readAgain
		}
		return failed
	})
	if !started {
		r.decide(event.RestoreSiteNotStarted, nil, r.siteOutcome("R6", last, CauseSiteNotStarted))
	}
	return started
}

// bindingInUse finds another started site holding one of site's bindings (same
// IP:Port:HostHeader), the conflict of R4.
func bindingInUse(site platform.Site, sites []platform.Site) (resource.Binding, platform.Site, bool) {
	for _, other := range sites {
		if other.State != platform.SiteStarted || other.ID == site.ID && other.Name == site.Name {
			continue
		}
		for _, b := range site.Bindings {
			for _, ob := range other.Bindings {
				if b.SameEndpoint(ob) {
					return b, other, true
				}
			}
		}
	}
	return resource.Binding{}, platform.Site{}, false
}
