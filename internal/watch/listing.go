package watch

import (
	"context"
	"sync"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// tickView is the host as one tick of the daemon sees it: the first check that needs a
// service type's site listing, a service's state or an application pool's state asks the
// host once, and every other
// check of that tick reads the same answer, or the same error. The checks get it as their
// action.Env.Host (site listings and service states alike; it is a platform.SiteFinder,
// so each check's lookup reads an index); recoveries never see it, they read the host
// afresh. x/sync's singleflight forgets an
// answer as soon as it is delivered; a tick must keep it, hence these few lines.
type tickView struct {
	platform.Host
	onList func(t resource.Type, err error) // counts real listings (metrics); may be nil
	mu     sync.Mutex
	lists  map[resource.Type]*flight[listing]
	states map[string]*flight[platform.ServiceState]
	pools  map[string]*flight[platform.PoolState]
}

// listing is one service type's sites with an index of their exact names (the first
// site of each name), built once per tick so that each check's lookup is not a scan.
type listing struct {
	sites  []platform.Site
	byName map[string]int
}

func newListing(sites []platform.Site) listing {
	l := listing{sites: sites, byName: make(map[string]int, len(sites))}
	for i, s := range sites {
		if _, dup := l.byName[s.Name]; !dup {
			l.byName[s.Name] = i
		}
	}
	return l
}

// flight is one question to the host: done closes once v and err are set.
type flight[T any] struct {
	done chan struct{}
	v    T
	err  error
}

var (
	_ platform.SiteFinder = (*tickView)(nil)
	_ platform.Host       = (*tickView)(nil)
)

func newTickView(host platform.Host, onList func(resource.Type, error)) *tickView {
	return &tickView{Host: host, onList: onList,
		lists: map[resource.Type]*flight[listing]{}, states: map[string]*flight[platform.ServiceState]{},
		pools: map[string]*flight[platform.PoolState]{}}
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
	case <-f.done: // answered already: ctx's Done (a timer, for some) is not needed
	default:
		select {
		case <-f.done:
		case <-ctx.Done():
			return zero, ctx.Err()
		}
	}
	if f.err != nil {
		return zero, f.err
	}
	return f.v, nil
}

// list returns the tick's listing of type t, asking the host the first time.
func (v *tickView) list(ctx context.Context, t resource.Type) (listing, error) {
	return ask(ctx, v, v.lists, t, func(ctx context.Context) (listing, error) {
		sites, err := v.Host.ListSites(ctx, t)
		if err != nil {
			return listing{}, err
		}
		return newListing(sites), nil
	}, func(err error) {
		if v.onList != nil {
			v.onList(t, err)
		}
	})
}

// ListSites returns the tick's listing of type t. Each check gets its own slice header;
// the sites themselves are only read.
func (v *tickView) ListSites(ctx context.Context, t resource.Type) ([]platform.Site, error) {
	l, err := v.list(ctx, t)
	return l.sites[:len(l.sites):len(l.sites)], err
}

// FindSite picks the site named name from the tick's listing of type t as
// platform.FindSite does: an exact name from the index, else the scan that finds a name
// differing only in case.
func (v *tickView) FindSite(ctx context.Context, t resource.Type, name string) (platform.Site, bool, error) {
	l, err := v.list(ctx, t)
	if err != nil {
		return platform.Site{}, false, err
	}
	if i, ok := l.byName[name]; ok {
		return l.sites[i], true, nil
	}
	s, found := platform.FindSite(l.sites, name)
	return s, found, nil
}

// ServiceState returns the tick's reading of service name's state.
func (v *tickView) ServiceState(ctx context.Context, name string) (platform.ServiceState, error) {
	return ask(ctx, v, v.states, name, func(ctx context.Context) (platform.ServiceState, error) {
		return v.Host.ServiceState(ctx, name)
	}, nil)
}

// PoolState returns the tick's reading of application pool name's state: P1 of every
// check of the tick and the daemon's own reading for its metrics and page (readPools) share
// it, errors (ErrNoPool included) too. Pool names are case-insensitive in IIS, but a read
// is keyed by the name as given: two spellings cost two reads, never a wrong answer.
func (v *tickView) PoolState(ctx context.Context, name string) (platform.PoolState, error) {
	return ask(ctx, v, v.pools, name, func(ctx context.Context) (platform.PoolState, error) {
		return v.Host.PoolState(ctx, name)
	}, nil)
}
