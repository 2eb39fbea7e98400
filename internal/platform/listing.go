package platform

import (
	"context"
	"slices"
	"sync"

	"github.com/iiskit/iiskit/internal/resource"
)

// ListingMemo lets a Host reuse one site listing per service type for the span of one
// check action, so a deepcheck that finds the site index twice (SPEC D1/Q2 and D3) costs
// one appcmd process. It only ever holds what one action has already observed; StartSite
// and StopSite through the same context drop it.
//
// Only check actions should carry one: an action that waits for a site's state to change
// (restore, remove, recover) must read afresh each time.
type ListingMemo struct {
	mu    sync.Mutex
	lists map[resource.Type][]Site
}

type listingMemoKey struct{}

// WithListingMemo returns a context carrying a new, empty ListingMemo.
func WithListingMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, listingMemoKey{}, &ListingMemo{lists: map[resource.Type][]Site{}})
}

// MemoizedListing returns the listing of type t remembered in ctx, or calls list and
// remembers a successful answer. Without a memo in ctx it just calls list. Callers get
// their own copy of the slice.
func MemoizedListing(ctx context.Context, t resource.Type, list func() ([]Site, error)) ([]Site, error) {
	m, _ := ctx.Value(listingMemoKey{}).(*ListingMemo)
	if m == nil {
		return list()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if sites, ok := m.lists[t]; ok {
		return cloneSites(sites), nil
	}
	sites, err := list()
	if err != nil {
		return nil, err
	}
	m.lists[t] = cloneSites(sites)
	return sites, nil
}

// ForgetListings drops every listing remembered in ctx: a Host calls it before it starts
// or stops a site, whose state the memo would otherwise misreport.
func ForgetListings(ctx context.Context) {
	if m, _ := ctx.Value(listingMemoKey{}).(*ListingMemo); m != nil {
		m.mu.Lock()
		clear(m.lists)
		m.mu.Unlock()
	}
}

// cloneSites copies a listing deeply enough that no caller can change the memo.
func cloneSites(sites []Site) []Site {
	out := slices.Clone(sites)
	for i := range out {
		out[i].Bindings = slices.Clone(out[i].Bindings)
	}
	return out
}
