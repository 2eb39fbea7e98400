package watch

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// poolSeen is one application pool of a resource as its last check's tick saw it.
type poolSeen struct {
	Name  string
	State platform.PoolState
	// Missing: IIS says the pool does not exist; Unread: IIS could not be asked. State
	// means nothing then.
	Missing, Unread bool
}

// Label is the pool's state as the status page writes it.
func (p poolSeen) Label() string {
	switch {
	case p.Missing:
		return "does not exist"
	case p.Unread:
		return "not read"
	}
	return p.State.String()
}

// Class is the pool's CSS class on the status page: a stopped or missing pool is red.
func (p poolSeen) Class() string {
	switch {
	case p.Missing || !p.Unread && p.State == platform.PoolStopped:
		return "pool-bad"
	case p.Unread || p.State == platform.PoolUnknown:
		return "pool-unknown"
	case p.State == platform.PoolStarted:
		return "pool-ok"
	}
	return "pool-moving" // Starting, Stopping
}

// readPools reads the application pools of res (action.PoolsOf: app_pools, else the pools
// of the site's applications as the tick's listing shows them) from the tick's view, so
// that each pool is read at most once per tick, by the checks' P1 and this together.
// A listing that fails, or a site not found, leaves only app_pools' pools, if any. It
// waits at most limit for the host's answers, even from a host that ignores deadlines.
func readPools(ctx context.Context, view *tickView, res resource.Resource, limit time.Duration) []poolSeen {
	if res.Type != resource.W3 {
		return nil // only W3 sites have pools (action.PoolsOf): no listing for the others
	}
	bound := &waitBound{parent: ctx, limit: limit}
	defer bound.stop()
	ctx = bound
	site, found, err := view.FindSite(ctx, res.Type, res.Site)
	if err != nil || !found {
		site = platform.Site{}
	}
	names := action.PoolsOf(res, site)
	if len(names) == 0 {
		return nil
	}
	out := make([]poolSeen, len(names))
	for i, name := range names {
		st, err := view.PoolState(ctx, name)
		out[i] = poolSeen{Name: name, State: st}
		switch {
		case errors.Is(err, platform.ErrNoPool):
			out[i].Missing = true
		case err != nil:
			out[i].Unread = true
		}
	}
	return out
}

// waitBound is a context for waiting on the tick's answers that starts its deadline's
// timer only when a wait needs one: after a check, the tick's listing and most pool
// states are answered already (the check asked them), and a timer per check would be
// most of the cost of reading the pools (BenchmarkQuickCheckAt1000). A host that
// ignores its own deadline still cannot hold the daemon beyond limit.
type waitBound struct {
	parent context.Context
	limit  time.Duration
	once   sync.Once
	ctx    context.Context
	cancel context.CancelFunc
}

var _ context.Context = (*waitBound)(nil)

func (w *waitBound) start() context.Context {
	w.once.Do(func() { w.ctx, w.cancel = context.WithTimeout(w.parent, w.limit) })
	return w.ctx
}

// stop releases the timer, if one was started.
func (w *waitBound) stop() {
	if w.cancel != nil {
		w.cancel()
	}
}

// Deadline is the parent's: the bound's own starts with the first wait.
func (w *waitBound) Deadline() (time.Time, bool) { return w.parent.Deadline() }

// Done starts the timer.
func (w *waitBound) Done() <-chan struct{} { return w.start().Done() }

// Err is the started context's error.
func (w *waitBound) Err() error { return w.start().Err() }

// Value is the parent's.
func (w *waitBound) Value(key any) any { return w.parent.Value(key) }
