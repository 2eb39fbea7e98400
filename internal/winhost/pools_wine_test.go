//go:build windows

package winhost

import (
	"context"
	"errors"
	"slices"
	"testing"

	"golang.org/x/sys/windows/svc"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// poolHost is IIS's default configuration's shape (DefaultAppPool, "Default Web Site"
// whose root application names no pool) with a second site whose pools come from its own
// applicationDefaults and an application's attribute (iis-docs
// sites/site/application: applicationPool, applicationDefaults).
var poolHost = iisState{
	Sites: []stSite{
		{Name: "Default Web Site", ID: 1, State: "Started", Bindings: []stBinding{web("*:80:")}, Applications: []stApp{{"/", ""}}},
		{Name: "Shop", ID: 2, State: "Started", Bindings: []stBinding{web("*:81:")}, ApplicationDefaults: &stDefaults{"ShopPool"},
			Applications: []stApp{{"/api", "Other"}, {"/", ""}, {"/v2", "shoppool"}}},
		{Name: "Bare", ID: 3, State: "Started", Bindings: []stBinding{web("*:82:")}},
	},
	ApplicationPools: []stPool{{Name: "DefaultAppPool", State: "Started"}, {Name: "ShopPool", State: "Stopped"}, {Name: "Other", State: "Started"}},
}

// TestPoolsThroughConfigurationAPI (SPEC P): each W3 site lists the pools of its
// applications, root first, each once, resolved as IIS does; a pool's state is its RSCA
// state; StartPool runs its Start method; a missing pool is ErrNoPool.
func TestPoolsThroughConfigurationAPI(t *testing.T) {
	needWine(t)
	setService(t, "W3SVC", svc.Running)
	writeIIS(t, poolHost)
	h, _, run := newHost(t, Options{})
	ctx := context.Background()
	sites, err := h.ListSites(ctx, resource.W3)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]string{"Default Web Site": {"DefaultAppPool"}, "Shop": {"ShopPool", "Other"}, "Bare": {}} {
		s, _ := platform.FindSite(sites, name)
		if !slices.Equal(s.Pools, want) || s.Pools == nil {
			t.Errorf("%s: pools %q, want %q", name, s.Pools, want)
		}
	}
	if st, err := h.PoolState(ctx, "shoppool"); err != nil || st != platform.PoolStopped {
		t.Errorf("PoolState(shoppool) = %v %v, want Stopped", st, err)
	}
	if err := h.StartPool(ctx, "ShopPool"); err != nil {
		t.Fatal(err)
	}
	if st, err := h.PoolState(ctx, "ShopPool"); err != nil || st != platform.PoolStarted {
		t.Errorf("after StartPool: %v %v", st, err)
	}
	if err := h.StartPool(ctx, "ShopPool"); err != nil {
		t.Errorf("a start of a started pool: %v", err)
	}
	for _, err := range []error{h.StartPool(ctx, "nope"), func() error { _, err := h.PoolState(ctx, "nope"); return err }()} {
		if !errors.Is(err, platform.ErrNoPool) {
			t.Errorf("a missing pool: %v, want ErrNoPool", err)
		}
	}
	if got := iisCalls(t); !slices.Contains(got, "Start pool ShopPool") {
		t.Errorf("no Start method run: %q", got)
	}
	if run.count() != 0 {
		t.Errorf("%d processes", run.count())
	}
}

// TestPoolRefusals: with W3SVC stopped a pool's state is Unknown (as appcmd shows it) and
// its start is refused; access denied is a prerequisite; the section's own default pool
// applies to applications naming none.
func TestPoolRefusals(t *testing.T) {
	needWine(t)
	ctx := context.Background()
	st := poolHost
	st.ApplicationDefaults = &stDefaults{"Farm"}
	writeIIS(t, st)
	h, _, _ := newHost(t, Options{})
	setService(t, "W3SVC", svc.Running)
	sites, err := h.ListSites(ctx, resource.W3)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := platform.FindSite(sites, "Default Web Site"); !slices.Equal(s.Pools, []string{"Farm"}) {
		t.Errorf("section default: %q", s.Pools)
	}
	setService(t, "W3SVC", svc.Stopped)
	if s, err := h.PoolState(ctx, "DefaultAppPool"); err != nil || s != platform.PoolUnknown {
		t.Errorf("W3SVC stopped: %v %v, want Unknown", s, err)
	}
	if err := h.StartPool(ctx, "DefaultAppPool"); err == nil || errors.Is(err, platform.ErrNoPool) {
		t.Errorf("start with W3SVC stopped: %v", err)
	}
	setService(t, "W3SVC", svc.Running)
	st.Refuse = map[string]refusal{"GetAdminSection": {HResult: hrAccessDenied}}
	writeIIS(t, st)
	if _, err := h.PoolState(ctx, "DefaultAppPool"); !errors.Is(err, platform.ErrPrerequisite) {
		t.Errorf("access denied: %v", err)
	}
	if err := h.StartPool(ctx, "DefaultAppPool"); !errors.Is(err, platform.ErrPrerequisite) {
		t.Errorf("access denied: %v", err)
	}
}
