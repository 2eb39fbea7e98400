//go:build windows

package winhost

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	ole "github.com/go-ole/go-ole"
	"github.com/go-ole/go-ole/oleutil"
	"golang.org/x/sys/windows/registry"

	"github.com/iiskit/iiskit/internal/iisconfig"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// The IIS configuration API (AHADMIN, MS-IISA): the object model under
// Microsoft.Web.Administration, IIS Manager and appcmd. Reads go through the read-only
// AdminManager; the run-time control methods of the RSCA extension (site and pool
// Start/Stop, ftpServer Start/Stop) through the WritableAdminManager, as Microsoft's own
// cluster script for IIS 7 (KB 970759, Clusweb7.vbs) does. State and methods come from
// the RSCA schema (rscaext.xml): state Starting=0, Started=1, Stopping=2, Stopped=3,
// Unknown=4, the values of platform.SiteState.
const (
	apphostPath      = "MACHINE/WEBROOT/APPHOST"
	sitesSection     = "system.applicationHost/sites"
	adminManager     = "Microsoft.ApplicationHost.AdminManager"
	writableAdminMgr = "Microsoft.ApplicationHost.WritableAdminManager"
)

// HRESULTs the configuration API is documented to answer.
const (
	hrAccessDenied     = 0x80070005 // E_ACCESSDENIED: not elevated
	hrClassNotReg      = 0x80040154 // REGDB_E_CLASSNOTREG: IIS not installed (only IIS Express)
	hrInterfaceNotReg  = 0x80040155 // REGDB_E_IIDNOTREG: likewise (Cake.IIS#26)
	hrInvalidObject    = 0x800710D8 // ERROR_INVALID_OID: site-level state of a site without http/https
	hrServiceNotActive = 0x80070426 // ERROR_SERVICE_NOT_ACTIVE
	hrCOClassString    = 0x800401F3 // CO_E_CLASSSTRING: the ProgID is not registered
)

// apphost opens IIS's configuration through the API with the ProgIDs of Options.
type apphost struct {
	com      *comRunner
	admin    string // the read-only AdminManager's ProgID
	writable string // the WritableAdminManager's ProgID
	log      *slog.Logger
}

// errNoAPI marks a failure to create the admin manager because its class is not
// installed: the cue for the appcmd fallback.
var errNoAPI = errors.New("the IIS configuration API is not installed")

// progIDRegistered reports whether progID is in HKEY_CLASSES_ROOT: a registry read, no
// COM object made, so New can choose a backend cheaply.
func progIDRegistered(progID string) bool {
	k, err := registry.OpenKey(registry.CLASSES_ROOT, progID+`\CLSID`, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	k.Close()
	return true
}

// section opens one section of MACHINE/WEBROOT/APPHOST through a new admin manager of
// progID and returns the manager and the section's collection.
func (a apphost) section(c *comSession, progID, name string) (am, coll *ole.IDispatch, err error) {
	am, err = c.create(progID)
	if err != nil {
		if hr, ok := hresult(err); ok && (hr == hrClassNotReg || hr == hrInterfaceNotReg || hr == hrCOClassString) {
			return nil, nil, fmt.Errorf("%w (%s, HRESULT 0x%08X): %w", errNoAPI, progID, hr, err)
		}
		return nil, nil, apphostErr(err)
	}
	if progID == a.writable {
		if err := putProperty(am, "CommitPath", apphostPath); err != nil {
			return nil, nil, apphostErr(err)
		}
	}
	sec, err := c.callObj(am, "GetAdminSection", name, apphostPath)
	if err != nil {
		return nil, nil, apphostErr(fmt.Errorf("open %s: %w", name, err))
	}
	coll, err = c.getObj(sec, "Collection")
	if err != nil {
		return nil, nil, apphostErr(fmt.Errorf("open %s: %w", name, err))
	}
	return am, coll, nil
}

// apphostErr adds the platform's meaning to the answers that decide what an action does:
// access denied is a prerequisite (run elevated), never a site's state.
func apphostErr(err error) error {
	if hr, ok := hresult(err); ok && hr == hrAccessDenied {
		return fmt.Errorf("%w: the IIS configuration API denied access (run iiskit as an administrator): %w", platform.ErrPrerequisite, err)
	}
	return err
}

// siteElement is one <site> element with what was read of it.
type siteElement struct {
	el  *ole.IDispatch
	raw iisconfig.Site
}

// eachSite calls fn for each <site> element of the collection with its name, id and
// bindings read as appcmd would show them; fn returns false to stop. A site that cannot
// be read is skipped with a diagnostic naming it (by name when that much was read, by
// position otherwise), so that one site IIS chokes on (a real report: 129 bindings
// giving 0x8007007A through appcmd) does not fail the checks of every other site. Access
// denied is not a site's fault and fails the whole pass.
func (a apphost) eachSite(c *comSession, coll *ole.IDispatch, fn func(siteElement) (bool, error)) error {
	nv, err := c.get(coll, "Count")
	if err != nil {
		return apphostErr(err)
	}
	n, err := toInt(nv)
	if err != nil {
		return fmt.Errorf("sites Count: %w", err)
	}
	for i := int64(0); i < n; i++ {
		el, err := c.item(coll, "Item", int32(i))
		if err == nil {
			var name *ole.VARIANT
			if name, err = c.get(el, "Name"); err == nil {
				if s, _ := toString(name); !strings.EqualFold(s, "site") {
					continue
				}
			}
		}
		var raw iisconfig.Site
		if err == nil {
			raw, err = readSite(c, el)
		}
		if err != nil {
			if e := apphostErr(err); errors.Is(e, platform.ErrPrerequisite) {
				return e
			}
			who := fmt.Sprintf("site #%d of the configuration", i)
			if raw.Name != "" {
				who = fmt.Sprintf("site %q", raw.Name)
			}
			a.log.Warn("skipped a site that cannot be read; the others are listed", "site", who, "err", err)
			continue
		}
		if more, err := fn(siteElement{el, raw}); err != nil || !more {
			return err
		}
	}
	return nil
}

// readSite reads a <site> element's name, id and bindings, and parses the bindings of
// the protocols iiskit serves, so that a binding that does not parse makes the site
// unreadable here rather than failing a later listing.
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
	s.State = platform.SiteUnknown
	children, err := c.getObj(el, "ChildElements")
	if err != nil {
		return s, err
	}
	bel, err := c.item(children, "Item", "bindings")
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
		b, err := c.item(bcoll, "Item", int32(i))
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
	if _, err := s.ServedBindings(); err != nil {
		return s, err
	}
	return s, nil
}

// runtimeState reads an element's RSCA `state` (a site's, an ftpServer's or a pool's).
// IIS computes it when read; a read that fails (the service that owns it not running,
// 0x800710D8 on a site without http/https) is Unknown, as appcmd shows it, except
// access denied, which is returned.
func runtimeState(c *comSession, el *ole.IDispatch) (platform.SiteState, error) {
	v, err := propertyValue(c, el, "state")
	if err != nil {
		if e := apphostErr(err); errors.Is(e, platform.ErrPrerequisite) {
			return platform.SiteUnknown, e
		}
		return platform.SiteUnknown, nil
	}
	n, err := toInt(v)
	if err != nil || n < int64(platform.SiteStarting) || n > int64(platform.SiteUnknown) {
		return platform.SiteUnknown, nil
	}
	return platform.SiteState(n), nil
}

// execute runs one of el's RSCA methods (Start, Stop, Recycle):
// el.Methods.Item(name).CreateInstance().Execute(). Access denied at any step is the
// prerequisite, as it is for Execute.
func execute(c *comSession, el *ole.IDispatch, name string) error {
	methods, err := c.getObj(el, "Methods")
	if err != nil {
		return apphostErr(err)
	}
	m, err := c.item(methods, "Item", name)
	if err != nil {
		return apphostErr(err)
	}
	inst, err := c.callObj(m, "CreateInstance")
	if err != nil {
		return apphostErr(err)
	}
	if _, err := c.call(inst, "Execute"); err != nil {
		return apphostErr(err)
	}
	return nil
}

// child returns el's child element name (ftpServer, bindings).
func child(c *comSession, el *ole.IDispatch, name string) (*ole.IDispatch, error) {
	children, err := c.getObj(el, "ChildElements")
	if err != nil {
		return nil, err
	}
	return c.item(children, "Item", name)
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

// matches reports whether a listed site is the one s names: by id when s has one (ids
// are unique and a rename does not change them), by name, as IIS compares it, otherwise.
func matches(raw iisconfig.Site, s platform.Site) bool {
	if s.ID != 0 {
		return raw.ID == s.ID
	}
	return strings.EqualFold(raw.Name, s.Name)
}

// siteControl finds site s (of type t) through the writable manager and runs method on
// the element control picks (the site itself, or its ftpServer).
func (a apphost) siteControl(c *comSession, t resource.Type, s platform.Site, method string, pick func(*comSession, *ole.IDispatch) (*ole.IDispatch, error)) error {
	_, coll, err := a.section(c, a.writable, sitesSection)
	if err != nil {
		return err
	}
	found := false
	err = a.eachSite(c, coll, func(se siteElement) (bool, error) {
		if !matches(se.raw, s) || !se.raw.HasProtocolOf(t) {
			return true, nil
		}
		found = true
		target, err := pick(c, se.el)
		if err != nil {
			return false, err
		}
		return false, execute(c, target, method)
	})
	if err == nil && !found {
		err = fmt.Errorf("%v site %q (id %d): %w", t, s.Name, s.ID, platform.ErrNoSite)
	}
	return err
}

// ahadminMissing turns errNoAPI into the prerequisite error: without the API, IIS's
// configuration system is not installed.
func ahadminMissing(err error) error {
	if errors.Is(err, errNoAPI) {
		return fmt.Errorf("%w: the IIS configuration API (%s) is not available; is IIS installed? %w", platform.ErrPrerequisite, adminManager, err)
	}
	return err
}
