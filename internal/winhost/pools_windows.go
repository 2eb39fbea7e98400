//go:build windows

package winhost

import (
	"context"
	"fmt"
	"strings"

	ole "github.com/go-ole/go-ole"

	"github.com/iiskit/iiskit/internal/platform"
)

// Application pools through the IIS configuration API: the applicationPools section's
// `add` elements, their RSCA `state` (the same enum as a site's) and `Start` method
// (rscaext.xml), and each application's applicationPool for a site's pools.
const (
	poolsSection = "system.applicationHost/applicationPools"
	// defaultPoolName is the schema's default of applicationDefaults/@applicationPool.
	defaultPoolName = "DefaultAppPool"
	// hrAlreadyRunning is ERROR_SERVICE_ALREADY_RUNNING as an HRESULT: what a start of a
	// started pool may answer (an inference; it is not an error either way).
	hrAlreadyRunning = 0x80070420
)

// PoolState reads one application pool's state. A state IIS cannot compute (WAS not
// running) is Unknown, as appcmd shows it; a missing pool wraps platform.ErrNoPool; a
// section that cannot be read (access denied, the API absent) is an error.
func (h *Host) PoolState(ctx context.Context, name string) (platform.PoolState, error) {
	st := platform.PoolUnknown
	err := h.com.run(ctx, "read application pool", func(c *comSession) error {
		_, coll, err := h.api.section(c, h.api.admin, poolsSection)
		if err != nil {
			return ahadminMissing(err)
		}
		el, err := findPool(c, coll, name)
		if err != nil {
			return err
		}
		s, err := runtimeState(c, el)
		st = platform.PoolState(s)
		return err
	})
	return st, err
}

// StartPool runs the pool element's Start through the WritableAdminManager. A start of a
// started pool is not an error.
func (h *Host) StartPool(ctx context.Context, name string) error {
	return h.com.run(ctx, "start application pool", func(c *comSession) error {
		_, coll, err := h.api.section(c, h.api.writable, poolsSection)
		if err != nil {
			return ahadminMissing(err)
		}
		el, err := findPool(c, coll, name)
		if err != nil {
			return err
		}
		err = execute(c, el, "Start")
		if hr, ok := hresult(err); ok && hr == hrAlreadyRunning {
			return nil
		}
		return err
	})
}

// StopPool runs the pool element's Stop: what rapid-fail protection does to a pool, and
// what doctor --exercise does to its own throwaway pool to play a pool fault. The actions
// never stop a pool (SPEC P: pools are shared between sites).
func (h *Host) StopPool(ctx context.Context, name string) error {
	if !strings.HasPrefix(name, SelftestPrefix) {
		return errSelftestName
	}
	return h.com.run(ctx, "stop application pool", func(c *comSession) error {
		_, coll, err := h.api.section(c, h.api.writable, poolsSection)
		if err != nil {
			return ahadminMissing(err)
		}
		el, err := findPool(c, coll, name)
		if err != nil {
			return err
		}
		return execute(c, el, "Stop")
	})
}

// findPool returns the `add` element named name (IIS compares pool names
// case-insensitively).
func findPool(c *comSession, coll *ole.IDispatch, name string) (*ole.IDispatch, error) {
	nv, err := c.get(coll, "Count")
	if err != nil {
		return nil, apphostErr(err)
	}
	n, err := toInt(nv)
	if err != nil {
		return nil, fmt.Errorf("application pools Count: %w", err)
	}
	for i := int64(0); i < n; i++ {
		el, err := c.item(coll, "Item", int32(i))
		if err != nil {
			return nil, err
		}
		v, err := propertyValue(c, el, "name")
		if err != nil {
			return nil, err
		}
		if s, _ := toString(v); strings.EqualFold(s, name) {
			return el, nil
		}
	}
	return nil, fmt.Errorf("application pool %q: %w", name, platform.ErrNoPool)
}

// sectionDefaultPool is the sites section's applicationDefaults/@applicationPool, else
// the schema's DefaultAppPool.
func sectionDefaultPool(c *comSession, am *ole.IDispatch) string {
	sec, err := c.callObj(am, "GetAdminSection", sitesSection, apphostPath)
	if err != nil {
		return defaultPoolName
	}
	if p := defaultsPool(c, sec); p != "" {
		return p
	}
	return defaultPoolName
}

// defaultsPool reads el's applicationDefaults/@applicationPool; "" when it has none.
func defaultsPool(c *comSession, el *ole.IDispatch) string {
	d, err := child(c, el, "applicationDefaults")
	if err != nil {
		return ""
	}
	v, err := propertyValue(c, d, "applicationPool")
	if err != nil {
		return ""
	}
	s, _ := toString(v)
	return s
}

// sitePools returns the pools of a site's applications, the root application's first,
// each once: an application's own applicationPool, else the site's applicationDefaults,
// else the section's (fallback), the order in which IIS resolves it. nil when the
// applications cannot be read (the listing cannot tell; SPEC P's default then checks no
// pool).
func sitePools(c *comSession, el *ole.IDispatch, fallback string) []string {
	apps, err := child(c, el, "applications")
	if err != nil {
		return nil
	}
	coll, err := c.getObj(apps, "Collection")
	if err != nil {
		return nil
	}
	nv, err := c.get(coll, "Count")
	if err != nil {
		return nil
	}
	n, err := toInt(nv)
	if err != nil {
		return nil
	}
	siteDefault := defaultsPool(c, el)
	if siteDefault == "" {
		siteDefault = fallback
	}
	var root string
	var others []string
	for i := int64(0); i < n; i++ {
		app, err := c.item(coll, "Item", int32(i))
		if err != nil {
			return nil
		}
		var path, pool string
		if v, err := propertyValue(c, app, "path"); err == nil {
			path, _ = toString(v)
		}
		if v, err := propertyValue(c, app, "applicationPool"); err == nil {
			pool, _ = toString(v)
		}
		if pool == "" {
			pool = siteDefault
		}
		if path == "/" {
			root = pool
		} else {
			others = append(others, pool)
		}
	}
	out := []string{}
	for _, p := range append([]string{root}, others...) {
		if p != "" && !containsFold(out, p) {
			out = append(out, p)
		}
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
