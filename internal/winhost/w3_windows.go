//go:build windows

package winhost

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	ole "github.com/go-ole/go-ole"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
	"github.com/iiskit/iiskit/internal/winhost/appcmd"
)

// w3Sites reads and drives W3 sites through the IIS configuration API, in process: a
// check reads the sites section once and each site's RSCA `state`; restore and remove run
// the site element's Start/Stop through the WritableAdminManager. No child process is
// started, so a check costs no appcmd start-up (130-280 ms a call on a real server,
// microsoft/IIS.ServiceMonitor#9) and a site appcmd chokes on does not fail the others.
//
// appcmd stays only as the fallback for a host where the API cannot be created (its class
// is not registered: 0x80040154/0x80040155, as where only IIS Express is installed, or no
// ProgID at all), with a warning each time: the same answers, at the cost of a process
// per read. It is kept rather than dropped because such a host may still have a working
// appcmd (a damaged registration), and an administrator is better served by a slow check
// with a warning than by none; where neither exists, the prerequisite error names both.
type w3Sites struct {
	api apphost
	// findAppcmd locates appcmd.exe for the fallback; it is asked once, when needed.
	findAppcmd func() (string, error)
	runner     appcmd.Runner

	once     sync.Once
	fallback *appcmd.Client
	findErr  error
}

// list reads every W3 site (iisconfig.TypesOf: an http/https binding, or no binding of a
// served protocol) with its state.
// The site-level state is read only for sites with an http or https binding: for others
// IIS throws 0x800710D8, and appcmd shows them Unknown, as they are listed here.
func (w *w3Sites) list(ctx context.Context) ([]platform.Site, error) {
	sites, err := w.listAPI(ctx)
	if errors.Is(err, errNoAPI) {
		return w.viaAppcmd(ctx, err, func(a *appcmd.Client) ([]platform.Site, error) { return appcmdW3List(ctx, a) })
	}
	return sites, err
}

// listAPI is list through the configuration API alone.
func (w *w3Sites) listAPI(ctx context.Context) ([]platform.Site, error) {
	var sites []platform.Site
	err := w.api.com.run(ctx, "list W3 sites", func(c *comSession) error {
		am, coll, err := w.api.section(c, w.api.admin, sitesSection)
		if err != nil {
			return err
		}
		fallback := sectionDefaultPool(c, am)
		return w.api.eachSite(c, coll, func(se siteElement) (bool, error) {
			if !se.raw.Listed(resource.W3) {
				return true, nil
			}
			s, err := se.raw.For(resource.W3)
			if err != nil {
				return false, err
			}
			s.State = platform.SiteUnknown
			if se.raw.HasProtocolOf(resource.W3) {
				if s.State, err = runtimeState(c, se.el); err != nil {
					return false, err
				}
			}
			s.Pools = sitePools(c, se.el, fallback)
			sites = append(sites, s)
			return true, nil
		})
	})
	return sites, err
}

func (w *w3Sites) start(ctx context.Context, s platform.Site) error {
	return w.control(ctx, s, "Start")
}
func (w *w3Sites) stop(ctx context.Context, s platform.Site) error { return w.control(ctx, s, "Stop") }

// control runs the site element's Start or Stop. A site without an http/https binding
// has no such state in WAS (0x800710D8) and is reported as not found for W3.
func (w *w3Sites) control(ctx context.Context, s platform.Site, method string) error {
	err := w.api.com.run(ctx, strings.ToLower(method)+" W3 site", func(c *comSession) error {
		return w.api.siteControl(c, resource.W3, s, method, func(_ *comSession, el *ole.IDispatch) (*ole.IDispatch, error) { return el, nil })
	})
	if errors.Is(err, errNoAPI) {
		_, err = w.viaAppcmd(ctx, err, func(a *appcmd.Client) ([]platform.Site, error) {
			if method == "Start" {
				return nil, a.StartSite(ctx, s.Name)
			}
			return nil, a.StopSite(ctx, s.Name)
		})
	}
	return err
}

// viaAppcmd runs do through appcmd after the API could not be created, warning each
// time, or returns the prerequisite error naming both when appcmd is missing too.
func (w *w3Sites) viaAppcmd(ctx context.Context, apiErr error, do func(*appcmd.Client) ([]platform.Site, error)) ([]platform.Site, error) {
	w.once.Do(func() {
		path, err := w.findAppcmd()
		if err != nil {
			w.findErr = err
			return
		}
		w.fallback = &appcmd.Client{Path: path, Runner: w.runner}
	})
	if w.fallback == nil {
		return nil, fmt.Errorf("%w: W3 sites can be read neither through the IIS configuration API (%v) nor through appcmd.exe (%v): install the Web Server (IIS) role", platform.ErrPrerequisite, apiErr, w.findErr)
	}
	w.api.log.Warn("the IIS configuration API cannot be created; W3 sites are read through appcmd.exe, a process per read (run iiskit doctor)", "err", apiErr)
	return do(w.fallback)
}

// appcmdW3List is the W3 listing through appcmd: one process for every site.
func appcmdW3List(ctx context.Context, c *appcmd.Client) ([]platform.Site, error) {
	raw, err := c.ListSites(ctx)
	if err != nil {
		return nil, err
	}
	sites := make([]platform.Site, 0, len(raw))
	for _, r := range raw {
		if !r.Listed(resource.W3) {
			continue
		}
		s, err := r.For(resource.W3)
		if err != nil {
			return nil, fmt.Errorf("list IIS sites: %w", err)
		}
		sites = append(sites, s)
	}
	return sites, nil
}
