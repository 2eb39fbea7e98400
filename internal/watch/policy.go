package watch

import (
	"time"

	"github.com/iiskit/iiskit/internal/config"
)

// policy is the daemon's decision for one resource, fed one check result at a time:
// failed checks since the resource was last up against failures_before_recover,
// recoveries against recover_budget within recover_window, and flap detection over the
// resource's up/down state. It does no I/O and reads no
// clock, so every threshold is tested with plain times.
type policy struct {
	s          config.Watch
	failures   int         // checks failed since the resource was last up
	recoveries []time.Time // recoveries started within the window, oldest first
	spent      bool        // the budget is spent and 9813 has been raised
	hist       history
	flapping   bool
	percent    float64
}

// verdict is what one result asks the daemon to do; the events follow from it.
type verdict struct {
	// Recover: start a local recovery now (failures is then the count that led to it).
	Recover  bool
	failures int
	// BudgetSpent: the budget has just run out (raised once per spell).
	BudgetSpent bool
	// FlapStarted, FlapStopped: the flapping state has just changed.
	FlapStarted, FlapStopped bool
	// Waiting: a recovery was due but waits because the resource is flapping.
	Waiting bool
	// Verified: this is the deepcheck after a recovery that succeeded; Back says
	// whether the resource is up again (9811) or not (9812).
	Verified, Back bool
}

// observe records one check at now and decides: up is the resource's state after it (its
// last quickcheck and last deepcheck both passed), failed whether this check failed.
// Flapping measures changes of up, not of the checks' results: a site that passes every
// quickcheck and fails every deepcheck is down all along, not flapping. A check that
// passes while the resource stays down (a quickcheck after a failed deepcheck) neither
// adds a failure nor clears one.
func (p *policy) observe(now time.Time, up, failed bool) verdict {
	var v verdict
	p.hist.add(up)
	p.percent = p.hist.percentStateChange()
	was := p.flapping
	p.flapping = flapState(p.flapping, p.percent, p.s.FlapLow, p.s.FlapHigh)
	v.FlapStarted, v.FlapStopped = p.flapping && !was, was && !p.flapping

	p.prune(now)
	if up {
		p.failures = 0
		return v
	}
	if !failed {
		return v
	}
	p.failures++
	if p.failures < p.s.FailuresBeforeRecover {
		return v
	}
	if p.flapping {
		v.Waiting = true
		return v
	}
	if len(p.recoveries) >= p.s.RecoverBudget {
		if !p.spent {
			p.spent = true
			v.BudgetSpent = true
		}
		return v
	}
	v.Recover, v.failures = true, p.failures
	p.recoveries = append(p.recoveries, now)
	// The next recovery needs failures_before_recover new failures.
	p.failures = 0
	return v
}

// prune forgets the recoveries that have left the window; once one has, the budget is no
// longer spent and a later 9813 may be raised again.
func (p *policy) prune(now time.Time) {
	i := 0
	for i < len(p.recoveries) && now.Sub(p.recoveries[i]) >= p.s.RecoverWindow {
		i++
	}
	p.recoveries = p.recoveries[i:]
	if len(p.recoveries) < p.s.RecoverBudget {
		p.spent = false
	}
}

// budgetSpent reports whether recoveries are spent for now (for the metrics and the page).
func (p *policy) budgetSpent() bool { return p.spent }
