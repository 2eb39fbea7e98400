package watch

import (
	"context"
	"sync"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// tickView is the host as one tick of the daemon sees it: the first check that needs a
// service type's site listing, or a service's state, asks the host once, and every other
// check of that tick reads the same answer, or the same error. The checks get it as
// action.Env.Listings (the site listings) and as their Env.Host (the service states);
// recoveries never see it, they read the host afresh. x/sync's singleflight forgets an
// answer as soon as it is delivered; a tick must keep it, hence these few lines.
type tickView struct {
	platform.Host
	onList func(t resource.Type, err error) // counts real listings (metrics); may be nil
	mu     sync.Mutex
	lists  map[resource.Type]*flight[[]platform.Site]
	states map[string]*flight[platform.ServiceState]
}

// flight is one question to the host: done closes once v and err are set.
type flight[T any] struct {
	done chan struct{}
	v    T
	err  error
}

var (
	_ action.SiteLister = (*tickView)(nil)
	_ platform.Host     = (*tickView)(nil)
)

func newTickView(host platform.Host, onList func(resource.Type, error)) *tickView {
	return &tickView{Host: host, onList: onList,
		lists: map[resource.Type]*flight[[]platform.Site]{}, states: map[string]*flight[platform.ServiceState]{}}
}

// viewTimeout bounds one question to the host: a stuck appcmd must not hold a tick's
// checks beyond their own deadline, and each of them waits at most its deadline anyway.
const viewTimeout = action.DefaultCheckTimeout

// ask returns the tick's answer to key in m, asking the host (without the caller's
// deadline, so that one check giving up does not fail the answer for the others) the
// first time; a caller whose context ends stops waiting.
func ask[K comparable, T any](ctx context.Context, v *tickView, m map[K]*flight[T], key K, q func(context.Context) (T, error), after func(error)) (T, error) {
	v.mu.Lock()
	f, ok := m[key]
	if !ok {
		f = &flight[T]{done: make(chan struct{})}
		m[key] = f
	}
	v.mu.Unlock()
	if !ok {
		go func() {
			qctx, cancel := context.WithTimeout(context.Background(), viewTimeout)
			defer cancel()
			f.v, f.err = q(qctx)
			if after != nil {
				after(f.err)
			}
			close(f.done)
		}()
	}
	var zero T
	select {
	case <-f.done:
	case <-ctx.Done():
		return zero, ctx.Err()
	}
	if f.err != nil {
		return zero, f.err
	}
	return f.v, nil
}

// ListSites returns the tick's listing of type t. Each check gets its own slice header;
// the sites themselves are only read.
func (v *tickView) ListSites(ctx context.Context, t resource.Type) ([]platform.Site, error) {
	sites, err := ask(ctx, v, v.lists, t, func(ctx context.Context) ([]platform.Site, error) {
		return v.Host.ListSites(ctx, t)
	}, func(err error) {
		if v.onList != nil {
			v.onList(t, err)
		}
	})
	return sites[:len(sites):len(sites)], err
}

// ServiceState returns the tick's reading of service name's state.
func (v *tickView) ServiceState(ctx context.Context, name string) (platform.ServiceState, error) {
	return ask(ctx, v, v.states, name, func(ctx context.Context) (platform.ServiceState, error) {
		return v.Host.ServiceState(ctx, name)
	}, nil)
}
