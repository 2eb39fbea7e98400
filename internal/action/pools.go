package action

import (
	"errors"
	"log/slog"

	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// poolsOf returns the application pools SPEC P looks at for the protected site.
func (r *run) poolsOf(site platform.Site) []string { return PoolsOf(r.res, site) }

// PoolsOf returns the application pools SPEC P looks at for res's site: those of
// app_pools, or by default the pools of the site's applications as the listing just read
// shows them (root application first). Only W3 sites have pools; app_pools = [] turns
// the rules off. The Nagios plugin reports the same pools.
func PoolsOf(res resource.Resource, site platform.Site) []string {
	if res.Type != resource.W3 {
		return nil
	}
	if res.Options.AppPools != nil {
		return res.Options.AppPools
	}
	return site.Pools
}

// poolRead is one read of a pool's state: missing when IIS says the pool does not exist,
// failed when IIS could not be asked (the run's fault then says why).
type poolRead struct {
	state           platform.PoolState
	missing, failed bool
}

// readPool reads one pool's state once.
func (r *run) readPool(step, name string) poolRead {
	st, err := r.env.Host.PoolState(r.ctx, name)
	switch {
	case errors.Is(err, platform.ErrNoPool):
		r.fault = Outcome{}
		return poolRead{missing: true}
	case err != nil:
		r.noteFault(step, err)
		r.diag(slog.LevelError, step, "could not read the application pool's state", "pool", name, "err", err)
		return poolRead{failed: true}
	}
	r.fault = Outcome{}
	r.seePool(name, st)
	return poolRead{state: st}
}

// seePool records st as the last state read of pool name, for Outcome.Seen.
func (r *run) seePool(name string, st platform.PoolState) {
	for i := range r.seen.Pools {
		if r.seen.Pools[i].Pool == name {
			r.seen.Pools[i].State = st
			return
		}
	}
	r.seen.Pools = append(r.seen.Pools, PoolSeen{Pool: name, State: st})
}

// withPool sets $POOL and $POOLSTATE.
func withPool(name string, st platform.PoolState) func(*event.Fields) {
	return func(f *event.Fields) {
		f.Pool = name
		f.PoolState = st.String()
	}
}

// checkPools is P1, quickcheck after Q3 passes: a Stopped pool fails with 9820 (and, with
// strict_site_state, any state but Started); a pool that does not exist fails with 9821;
// a read that fails gives Q2's 9707, the event of a failed listing in quickcheck, with
// the fault as the cause.
func (r *run) checkPools(site platform.Site) bool {
	for _, name := range r.poolsOf(site) {
		pr := r.readPool("P1", name)
		switch {
		case pr.failed:
			r.decide(event.QuickNoSiteIndex, nil, r.fault)
			return false
		case pr.missing:
			r.poolMissing("P1", name)
			return false
		case pr.state == platform.PoolStopped || r.res.Options.StrictSiteState && pr.state != platform.PoolStarted:
			r.decide(event.PoolNotStarted, withPool(name, pr.state),
				Outcome{Cause: CausePoolNotStarted, Step: "P1", Pool: name, PoolState: pr.state})
			return false
		}
	}
	return true
}

// startPools is P2 (restore, between R4 and R5) and P3 (recover, after C2): each pool
// that is not Started is asked to start once, then read as R6 reads the site: Started
// settles, Starting is read again (up to Options.Reads reads in all, the retry interval
// apart), anything else fails with notStarted. A missing pool fails with 9821; a read
// that fails gives listingFailed, the event of a failed listing in the action.
func (r *run) startPools(step string, site platform.Site, notStarted, listingFailed event.ID) bool {
	for _, name := range r.poolsOf(site) {
		pr := r.readPool(step, name)
		switch {
		case pr.failed:
			r.decide(listingFailed, nil, r.fault)
			return false
		case pr.missing:
			r.poolMissing(step, name)
			return false
		case pr.state == platform.PoolStarted:
			continue
		}
		if err := r.env.Host.StartPool(r.ctx, name); err != nil {
			if errors.Is(err, platform.ErrNoPool) {
				r.poolMissing(step, name)
				return false
			}
			r.diag(slog.LevelWarn, step, "pool start request failed; reading its state anyway", "pool", name, "err", err)
		}
		was, last := pr.state, pr.state
		decided := false // a failed or missing read ended the reads with its own event
		started := readUntil(r, step, nil, func() poolRead { return r.readPool(step, name) }, func(p poolRead) verdict {
			switch {
			case p.failed:
				r.decide(listingFailed, nil, r.fault)
				decided = true
				return failed
			case p.missing:
				r.poolMissing(step, name)
				decided = true
				return failed
			}
			last = p.state
			switch last {
			case platform.PoolStarted:
				return settled
			case platform.PoolStarting:
				return readAgain
			}
			return failed
		})
		if decided {
			return false
		}
		if !started {
			o := Outcome{Cause: CausePoolNotStarted, Step: step, Pool: name, PoolState: last}
			if r.fault.Cause == CauseOutOfTime {
				o = r.fault
			}
			r.decide(notStarted, withPool(name, last), o)
			return false
		}
		r.started = append(r.started, PoolStart{Pool: name, Was: was})
	}
	return true
}

// poolMissing fails the step with 9821: a pool the site needs does not exist.
func (r *run) poolMissing(step, name string) {
	r.decide(event.PoolMissing, r.withOpening(name), Outcome{Cause: CausePoolAbsent, Step: step, Pool: name})
}

// withOpening sets $POOL and $OPENING, the opening sentence this action's other events
// have, for 9821 (SPEC P: prefixed as the action's other events are).
func (r *run) withOpening(name string) func(*event.Fields) {
	opening := `Checking LifeKeeper resource "` + r.res.Tag + `".`
	switch r.action {
	case NameRestore:
		opening = `Restoring LifeKeeper resource "` + r.res.Tag + `".`
	case NameRecover:
		opening = `Recovering resource "` + r.res.Tag + `".`
	}
	return func(f *event.Fields) {
		f.Pool = name
		f.Opening = opening
	}
}
