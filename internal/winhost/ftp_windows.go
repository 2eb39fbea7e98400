//go:build windows

package winhost

import (
	"context"
	"strings"

	ole "github.com/go-ole/go-ole"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// ftpSites reads and drives FTP sites (IIS 7.5+) through the IIS configuration API. An
// FTP site's run state lives on its <ftpServer> element, apart from the WAS state of the
// same site, and only that element's Start/Stop methods change it (iis-docs
// sites/site/ftpServer). The site-level state is never read for FTP: on a site without
// an http/https binding IIS throws 0x800710D8 for it.
//
// Why the API rather than PowerShell's WebAdministration, which the original kit used:
// it is in-process, so there is no script text at all in which a site name could be
// interpolated (SPEC S1), no powershell.exe start-up (a second or more, and an execution
// policy to fight), and one pass over the configuration gives every FTP site's name,
// id, bindings and ftpServer state. It needs only IIS itself, not the IIS Management
// Scripts and Tools feature.
type ftpSites struct{ api apphost }

// list returns every site that has an ftp binding, with the ftpServer state (Unknown
// when FTPSVC cannot say, which the actions treat as not started).
func (f ftpSites) list(ctx context.Context) ([]platform.Site, error) {
	var sites []platform.Site
	err := f.api.com.run(ctx, "list FTP sites", func(c *comSession) error {
		_, coll, err := f.api.section(c, f.api.admin, sitesSection)
		if err != nil {
			return ahadminMissing(err)
		}
		return f.api.eachSite(c, coll, func(se siteElement) (bool, error) {
			if !se.raw.Listed(resource.FTP) {
				return true, nil
			}
			s, err := se.raw.For(resource.FTP)
			if err != nil {
				return false, err
			}
			s.State = platform.SiteUnknown
			if ftp, err := child(c, se.el, "ftpServer"); err == nil {
				if s.State, err = runtimeState(c, ftp); err != nil {
					return false, err
				}
			}
			sites = append(sites, s)
			return true, nil
		})
	})
	return sites, err
}

// start and stop run the ftpServer element's method on the site with s's id.
func (f ftpSites) start(ctx context.Context, s platform.Site) error {
	return f.control(ctx, s, "Start")
}
func (f ftpSites) stop(ctx context.Context, s platform.Site) error { return f.control(ctx, s, "Stop") }

func (f ftpSites) control(ctx context.Context, s platform.Site, method string) error {
	return f.api.com.run(ctx, strings.ToLower(method)+" FTP site", func(c *comSession) error {
		err := f.api.siteControl(c, resource.FTP, s, method, func(c *comSession, el *ole.IDispatch) (*ole.IDispatch, error) {
			return child(c, el, "ftpServer")
		})
		return ahadminMissing(err)
	})
}
