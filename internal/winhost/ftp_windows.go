//go:build windows

package winhost

import (
	"context"
	"fmt"
	"strings"

	ole "github.com/go-ole/go-ole"
	"github.com/go-ole/go-ole/oleutil"

	"github.com/iiskit/iiskit/internal/iisconfig"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// ftpSites reads and drives FTP sites (IIS 7.5+) through the IIS configuration COM API
// (AHADMIN), the API appcmd and IIS Manager themselves use. An FTP site's run state lives
// on its <ftpServer> element, apart from the WAS state appcmd shows, and only that
// element's Start/Stop methods change it.
//
// Why AHADMIN rather than PowerShell's WebAdministration, which the original kit used:
// it is in-process, so there is no script text at all in which a site name could be
// interpolated (SPEC S1), no powershell.exe start-up (a second or more, and an execution
// policy to fight), and one pass over the configuration gives every FTP site's name,
// id, bindings and ftpServer state, so a listing costs no process. It needs only IIS
// itself, not the IIS Management Scripts and Tools feature.
type ftpSites struct{}

const (
	apphostPath       = "MACHINE/WEBROOT/APPHOST"
	sitesSection      = "system.applicationHost/sites"
	adminManager      = "Microsoft.ApplicationHost.AdminManager"
	writableAdminMngr = "Microsoft.ApplicationHost.WritableAdminManager"
)

// list returns every site that has an ftp binding, with the ftpServer state.
func (ftpSites) list(ctx context.Context) ([]platform.Site, error) {
	return onCOMThread(ctx, "list FTP sites", func(c *comSession) ([]platform.Site, error) {
		coll, err := sitesCollection(c, adminManager)
		if err != nil {
			return nil, err
		}
		var sites []platform.Site
		err = eachSite(c, coll, func(el *ole.IDispatch, raw iisconfig.Site) (bool, error) {
			if !raw.Listed(resource.FTP) {
				return true, nil
			}
			s, err := raw.For(resource.FTP)
			if err != nil {
				return false, err
			}
			s.State = ftpState(c, el)
			sites = append(sites, s)
			return true, nil
		})
		return sites, err
	})
}

// start and stop run the ftpServer element's method on the site with s's id.
func (f ftpSites) start(ctx context.Context, s platform.Site) error {
	return f.control(ctx, s, "Start")
}
func (f ftpSites) stop(ctx context.Context, s platform.Site) error { return f.control(ctx, s, "Stop") }

func (ftpSites) control(ctx context.Context, s platform.Site, method string) error {
	_, err := onCOMThread(ctx, strings.ToLower(method)+" FTP site", func(c *comSession) (struct{}, error) {
		am, err := c.create(writableAdminMngr)
		if err != nil {
			return struct{}{}, ahadminMissing(err)
		}
		if err := putProperty(am, "CommitPath", apphostPath); err != nil {
			return struct{}{}, err
		}
		sec, err := c.callObj(am, "GetAdminSection", sitesSection, apphostPath)
		if err != nil {
			return struct{}{}, err
		}
		coll, err := c.getObj(sec, "Collection")
		if err != nil {
			return struct{}{}, err
		}
		found := false
		err = eachSite(c, coll, func(el *ole.IDispatch, raw iisconfig.Site) (bool, error) {
			if raw.ID != s.ID || !raw.Listed(resource.FTP) {
				return true, nil
			}
			found = true
			ftp, err := ftpServerElement(c, el)
			if err != nil {
				return false, err
			}
			methods, err := c.getObj(ftp, "Methods")
			if err != nil {
				return false, err
			}
			m, err := c.getObj(methods, "Item", method)
			if err != nil {
				return false, err
			}
			inst, err := c.callObj(m, "CreateInstance")
			if err != nil {
				return false, err
			}
			_, err = c.call(inst, "Execute")
			return false, err
		})
		if err == nil && !found {
			err = fmt.Errorf("FTP site %q (id %d): %w", s.Name, s.ID, platform.ErrNoSite)
		}
		return struct{}{}, err
	})
	return err
}

// sitesCollection opens the sites section's collection through a new admin manager.
func sitesCollection(c *comSession, progID string) (*ole.IDispatch, error) {
	am, err := c.create(progID)
	if err != nil {
		return nil, ahadminMissing(err)
	}
	sec, err := c.callObj(am, "GetAdminSection", sitesSection, apphostPath)
	if err != nil {
		return nil, err
	}
	return c.getObj(sec, "Collection")
}

// eachSite calls fn for each <site> element with its name, id and bindings read as
// appcmd would show them; fn returns false to stop.
func eachSite(c *comSession, coll *ole.IDispatch, fn func(el *ole.IDispatch, raw iisconfig.Site) (bool, error)) error {
	nv, err := c.get(coll, "Count")
	if err != nil {
		return err
	}
	n, err := toInt(nv)
	if err != nil {
		return fmt.Errorf("sites Count: %w", err)
	}
	for i := int64(0); i < n; i++ {
		el, err := c.getObj(coll, "Item", int32(i))
		if err != nil {
			return err
		}
		if name, err := c.get(el, "Name"); err != nil {
			return err
		} else if s, _ := toString(name); !strings.EqualFold(s, "site") {
			continue
		}
		raw, err := readSite(c, el)
		if err != nil {
			return err
		}
		if more, err := fn(el, raw); err != nil || !more {
			return err
		}
	}
	return nil
}

// readSite reads a <site> element's name, id and bindings.
func readSite(c *comSession, el *ole.IDispatch) (iisconfig.Site, error) {
	var s iisconfig.Site
	name, err := propertyValue(c, el, "name")
	if err != nil {
		return s, err
	}
	if s.Name, err = toString(name); err != nil {
		return s, fmt.Errorf("site name: %w", err)
	}
	id, err := propertyValue(c, el, "id")
	if err != nil {
		return s, err
	}
	if s.ID, err = toInt(id); err != nil {
		return s, fmt.Errorf("site %q id: %w", s.Name, err)
	}
	children, err := c.getObj(el, "ChildElements")
	if err != nil {
		return s, err
	}
	bel, err := c.getObj(children, "Item", "bindings")
	if err != nil {
		return s, err
	}
	bcoll, err := c.getObj(bel, "Collection")
	if err != nil {
		return s, err
	}
	nv, err := c.get(bcoll, "Count")
	if err != nil {
		return s, err
	}
	n, err := toInt(nv)
	if err != nil {
		return s, err
	}
	s.Bindings = []iisconfig.RawBinding{}
	for i := int64(0); i < n; i++ {
		b, err := c.getObj(bcoll, "Item", int32(i))
		if err != nil {
			return s, err
		}
		var rb iisconfig.RawBinding
		for _, f := range []struct {
			attr string
			dst  *string
		}{{"protocol", &rb.Protocol}, {"bindingInformation", &rb.Information}} {
			v, err := propertyValue(c, b, f.attr)
			if err != nil {
				return s, err
			}
			if *f.dst, err = toString(v); err != nil {
				return s, fmt.Errorf("site %q binding %s: %w", s.Name, f.attr, err)
			}
		}
		rb.Protocol = strings.ToLower(rb.Protocol)
		s.Bindings = append(s.Bindings, rb)
	}
	return s, nil
}

// ftpState reads ftpServer/@state, a runtime value FTPSVC provides. When FTPSVC is not
// running the read fails; the site is then Unknown, which the actions treat as not
// started.
func ftpState(c *comSession, el *ole.IDispatch) platform.SiteState {
	ftp, err := ftpServerElement(c, el)
	if err != nil {
		return platform.SiteUnknown
	}
	v, err := propertyValue(c, ftp, "state")
	if err != nil {
		return platform.SiteUnknown
	}
	n, err := toInt(v)
	if err != nil || n < int64(platform.SiteStarting) || n > int64(platform.SiteUnknown) {
		return platform.SiteUnknown
	}
	return platform.SiteState(n)
}

func ftpServerElement(c *comSession, el *ole.IDispatch) (*ole.IDispatch, error) {
	children, err := c.getObj(el, "ChildElements")
	if err != nil {
		return nil, err
	}
	return c.getObj(children, "Item", "ftpServer")
}

// propertyValue reads an attribute with GetPropertyByName(name).Value.
func propertyValue(c *comSession, el *ole.IDispatch, name string) (*ole.VARIANT, error) {
	p, err := c.callObj(el, "GetPropertyByName", name)
	if err != nil {
		return nil, err
	}
	return c.get(p, "Value")
}

func putProperty(d *ole.IDispatch, name string, v any) error {
	r, err := oleutil.PutProperty(d, name, v)
	if err != nil {
		return fmt.Errorf("set %s: %w", name, err)
	}
	_ = r.Clear()
	return nil
}

// ahadminMissing turns a failure to create the admin manager into the prerequisite
// error: without it IIS's configuration system is not installed.
func ahadminMissing(err error) error {
	return fmt.Errorf("%w: the IIS configuration COM API (%s) is not available; is IIS installed? %w", platform.ErrPrerequisite, adminManager, err)
}
