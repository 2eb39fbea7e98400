package watch

import (
	"context"
	"sync"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// tickListing is the host view of one tick: the first check of a service type asks the
// host for its sites once, and every other check of that tick reads the same answer, or
// the same error. It is what action.Env.Listings asks for. x/sync's singleflight forgets
// an answer as soon as it is delivered; a tick must keep it, hence these few lines.
type tickListing struct {
	host    action.SiteLister
	onList  func(t resource.Type, err error) // counts real listings (metrics); may be nil
	mu      sync.Mutex
	flights map[resource.Type]*flight
}

// flight is one listing of one type: done closes once sites and err are set.
type flight struct {
	done  chan struct{}
	sites []platform.Site
	err   error
}

var _ action.SiteLister = (*tickListing)(nil)

func newTickListing(host action.SiteLister, onList func(resource.Type, error)) *tickListing {
	return &tickListing{host: host, onList: onList, flights: map[resource.Type]*flight{}}
}

// ListSites returns the tick's listing of type t. The listing itself runs without the
// caller's deadline, under the tick's own context, so that one check giving up does not
// fail the listing for the others; a caller whose context ends stops waiting.
func (l *tickListing) ListSites(ctx context.Context, t resource.Type) ([]platform.Site, error) {
	l.mu.Lock()
	f, ok := l.flights[t]
	if !ok {
		f = &flight{done: make(chan struct{})}
		l.flights[t] = f
	}
	l.mu.Unlock()
	if !ok {
		go l.list(t, f)
	}
	select {
	case <-f.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if f.err != nil {
		return nil, f.err
	}
	// Each check gets its own slice header; the sites themselves are only read.
	return f.sites[:len(f.sites):len(f.sites)], nil
}

// listTimeout bounds one listing: a stuck appcmd must not hold a tick's checks beyond
// their own deadline, and each of them waits at most its deadline anyway.
const listTimeout = action.DefaultCheckTimeout

func (l *tickListing) list(t resource.Type, f *flight) {
	ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
	defer cancel()
	f.sites, f.err = l.host.ListSites(ctx, t)
	if l.onList != nil {
		l.onList(t, f.err)
	}
	close(f.done)
}
