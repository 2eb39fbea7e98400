package watch

import (
	"context"
	"testing"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// listHost answers one fixed listing and counts how often it was asked.
type listHost struct {
	platform.Host
	sites []platform.Site
	asked int
}

func (h *listHost) ListSites(context.Context, resource.Type) ([]platform.Site, error) {
	h.asked++
	return h.sites, nil
}

// TestTickViewFindSiteAnswersAsFindSite: the tick's indexed lookup picks the same site
// as platform.FindSite's scan (the first exact name, else the first name differing only
// in case, else none), from one listing.
func TestTickViewFindSiteAnswersAsFindSite(t *testing.T) {
	h := &listHost{sites: []platform.Site{
		{Name: "Shop", ID: 1}, {Name: "shop", ID: 2}, {Name: "Shop", ID: 3}, {Name: "Blog", ID: 4},
	}}
	v := newTickView(h, nil)
	for _, name := range []string{"Shop", "shop", "SHOP", "blog", "Blog", "none", ""} {
		want, wantFound := platform.FindSite(h.sites, name)
		got, found, err := v.FindSite(context.Background(), resource.W3, name)
		if err != nil || found != wantFound || got.ID != want.ID {
			t.Errorf("FindSite(%q) = ID %d, %v, %v; want ID %d, %v", name, got.ID, found, err, want.ID, wantFound)
		}
	}
	if h.asked != 1 {
		t.Errorf("the host was asked %d times for the listing, want once per tick", h.asked)
	}
}
