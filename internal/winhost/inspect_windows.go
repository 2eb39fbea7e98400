//go:build windows

package winhost

import (
	"context"
	"errors"
	"fmt"
	"strings"

	ole "github.com/go-ole/go-ole"
	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
	"github.com/iiskit/iiskit/internal/winhost/appcmd"
)

// Reading is one way of reading IIS's sites, for iiskit doctor's comparison of what each
// says: the configuration API (what the actions use), appcmd, and the IIS 6 WMI provider.
type Reading struct {
	Name  string
	Types []resource.Type
	List  func(ctx context.Context, t resource.Type) ([]platform.Site, error)
}

// Readings returns the ways of reading IIS present on this host, the actions' own first.
// None falls back to another: each says what it alone sees, or fails.
func (h *Host) Readings() []Reading {
	w3 := h.sites[resource.W3].(*w3Sites)
	api := Reading{Name: "configuration API", Types: []resource.Type{resource.W3}, List: func(ctx context.Context, t resource.Type) ([]platform.Site, error) {
		if t == resource.W3 {
			return w3.listAPI(ctx)
		}
		return h.sites[t].list(ctx)
	}}
	wmi := Reading{Name: "WMI (IIS 6)", Types: []resource.Type{resource.SMTP}, List: func(ctx context.Context, t resource.Type) ([]platform.Site, error) {
		return h.sites[t].list(ctx)
	}}
	if h.version.after2008R2() {
		api.Types = append(api.Types, resource.FTP)
	} else {
		wmi.Types = append(wmi.Types, resource.FTP)
	}
	out := []Reading{api}
	if path, err := h.appcmdPath(); err == nil {
		c := &appcmd.Client{Path: path, Runner: h.runner}
		out = append(out, Reading{Name: "appcmd", Types: []resource.Type{resource.W3}, List: func(ctx context.Context, _ resource.Type) ([]platform.Site, error) {
			return appcmdW3List(ctx, c)
		}})
	}
	return append(out, wmi)
}

// Fact is one thing doctor reports about the host.
type Fact struct{ Name, Value string }

// Facts returns the Windows and IIS versions, elevation, and where the API and appcmd are.
func (h *Host) Facts() []Fact {
	facts := []Fact{
		{"os", fmt.Sprintf("Windows %d.%d.%d", h.version.Major, h.version.Minor, h.version.Build)},
		{"iis", iisVersion()},
		{"elevated", fmt.Sprint(windows.GetCurrentProcessToken().IsElevated())},
		{"configuration API", fmt.Sprintf("%s registered: %v", h.progIDs.AdminManager, progIDRegistered(h.progIDs.AdminManager))},
	}
	if p, err := h.appcmdPath(); err == nil {
		facts = append(facts, Fact{"appcmd", p})
	} else {
		facts = append(facts, Fact{"appcmd", "absent"})
	}
	return facts
}

// iisVersion reads IIS's version from HKLM\SOFTWARE\Microsoft\InetStp.
func iisVersion() string {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, inetStpKey, registry.QUERY_VALUE)
	if err != nil {
		return "unknown (no InetStp key)"
	}
	defer k.Close()
	major, _, err1 := k.GetIntegerValue("MajorVersion")
	minor, _, err2 := k.GetIntegerValue("MinorVersion")
	if err1 != nil || err2 != nil {
		return "unknown (InetStp has no MajorVersion)"
	}
	return fmt.Sprintf("%d.%d", major, minor)
}

// Selftest names the throwaway site and application pool of iiskit doctor --exercise.
type Selftest struct {
	Site, Pool string
	// Binding is the site's one http bindingInformation, e.g. 127.0.0.1:8123:.
	Binding string
	// Folder is the root application's physical path.
	Folder string
}

var errSelftestName = errors.New("a self-test object's name must start with " + SelftestPrefix)

// SelftestPrefix starts the name of every object --exercise creates, so that leftovers
// of an interrupted run are recognised and only they are ever deleted.
const SelftestPrefix = "iiskit-selftest-"

// CreateSelftest adds the pool and the site (one http binding, a root application in
// that pool) through the WritableAdminManager and commits: the changes doctor
// --exercise makes, and DeleteSelftest undoes. Nothing is committed unless every step
// succeeded.
func (h *Host) CreateSelftest(ctx context.Context, st Selftest) error {
	if !strings.HasPrefix(st.Site, SelftestPrefix) || !strings.HasPrefix(st.Pool, SelftestPrefix) {
		return errSelftestName
	}
	return h.com.run(ctx, "create the self-test site", func(c *comSession) error {
		am, pools, err := h.api.section(c, h.api.writable, "system.applicationHost/applicationPools")
		if err != nil {
			return ahadminMissing(err)
		}
		ch := &chain{c: c}
		ch.add(pools, "add", "name", st.Pool)
		sites := ch.get(ch.call(am, "GetAdminSection", sitesSection, apphostPath), "Collection")
		var id int32
		if ch.err == nil {
			id, ch.err = nextSiteID(c, sites)
		}
		site := ch.newElement(sites, "site", "name", st.Site, "id", id)
		ch.add(ch.get(ch.child(site, "bindings"), "Collection"), "binding", "protocol", "http", "bindingInformation", st.Binding)
		apps := ch.get(ch.child(site, "applications"), "Collection")
		app := ch.newElement(apps, "application", "path", "/", "applicationPool", st.Pool)
		ch.add(ch.get(app, "Collection"), "virtualDirectory", "path", "/", "physicalPath", st.Folder)
		ch.do(apps, "AddElement", app)
		ch.do(sites, "AddElement", site)
		ch.do(am, "CommitChanges")
		return apphostErr(ch.err)
	})
}

// chain runs a sequence of COM steps, each on the result of earlier ones, until one
// fails: it keeps the first error and skips the rest, so a long sequence of calls reads
// as the sequence.
type chain struct {
	c   *comSession
	err error
}

func (ch *chain) call(d *ole.IDispatch, name string, args ...any) *ole.IDispatch {
	if ch.err != nil {
		return nil
	}
	v, err := ch.c.callObj(d, name, args...)
	ch.err = err
	return v
}

func (ch *chain) get(d *ole.IDispatch, name string) *ole.IDispatch {
	if ch.err != nil {
		return nil
	}
	v, err := ch.c.getObj(d, name)
	ch.err = err
	return v
}

// child is el.ChildElements.Item(name).
func (ch *chain) child(el *ole.IDispatch, name string) *ole.IDispatch {
	if ch.err != nil {
		return nil
	}
	v, err := child(ch.c, el, name)
	ch.err = err
	return v
}

// do calls a method whose result is not needed.
func (ch *chain) do(d *ole.IDispatch, name string, args ...any) {
	if ch.err == nil {
		_, ch.err = ch.c.call(d, name, args...)
	}
}

// newElement is coll.CreateNewElement(kind) with its attributes set: name, value ...
func (ch *chain) newElement(coll *ole.IDispatch, kind string, kv ...any) *ole.IDispatch {
	el := ch.call(coll, "CreateNewElement", kind)
	if ch.err == nil {
		ch.err = setProps(ch.c, el, kv...)
	}
	return el
}

// add is newElement followed by coll.AddElement.
func (ch *chain) add(coll *ole.IDispatch, kind string, kv ...any) {
	ch.do(coll, "AddElement", ch.newElement(coll, kind, kv...))
}

// DeleteSelftest deletes every site and application pool whose name starts with
// SelftestPrefix, and returns their names; nothing else is touched.
func (h *Host) DeleteSelftest(ctx context.Context) ([]string, error) {
	var gone []string
	err := h.com.run(ctx, "delete the self-test site", func(c *comSession) error {
		am, sites, err := h.api.section(c, h.api.writable, sitesSection)
		if err != nil {
			return ahadminMissing(err)
		}
		sec, err := c.callObj(am, "GetAdminSection", "system.applicationHost/applicationPools", apphostPath)
		if err != nil {
			return err
		}
		pools, err := c.getObj(sec, "Collection")
		if err != nil {
			return err
		}
		for _, coll := range []*ole.IDispatch{sites, pools} {
			names, err := deletePrefixed(c, coll)
			if err != nil {
				return err
			}
			gone = append(gone, names...)
		}
		if len(gone) == 0 {
			return nil
		}
		_, err = c.call(am, "CommitChanges")
		return apphostErr(err)
	})
	return gone, err
}

// deletePrefixed deletes the elements of coll whose name starts with SelftestPrefix,
// from the last one down so the indexes of those left do not move.
func deletePrefixed(c *comSession, coll *ole.IDispatch) ([]string, error) {
	nv, err := c.get(coll, "Count")
	if err != nil {
		return nil, err
	}
	n, err := toInt(nv)
	if err != nil {
		return nil, err
	}
	var gone []string
	for i := n - 1; i >= 0; i-- {
		el, err := c.item(coll, "Item", int32(i))
		if err != nil {
			return nil, err
		}
		v, err := propertyValue(c, el, "name")
		if err != nil {
			return nil, err
		}
		name, _ := toString(v)
		if !strings.HasPrefix(name, SelftestPrefix) {
			continue
		}
		if _, err := c.call(coll, "DeleteElement", int32(i)); err != nil {
			return nil, err
		}
		gone = append(gone, name)
	}
	return gone, nil
}

// nextSiteID is one more than the largest site id.
func nextSiteID(c *comSession, sites *ole.IDispatch) (int32, error) {
	nv, err := c.get(sites, "Count")
	if err != nil {
		return 0, err
	}
	n, err := toInt(nv)
	if err != nil {
		return 0, err
	}
	var top int64
	for i := int64(0); i < n; i++ {
		el, err := c.item(sites, "Item", int32(i))
		if err != nil {
			return 0, err
		}
		v, err := propertyValue(c, el, "id")
		if err != nil {
			return 0, err
		}
		if id, err := toInt(v); err == nil && id > top {
			top = id
		}
	}
	return int32(top + 1), nil
}

// setProps sets attributes: name, value, name, value ...
func setProps(c *comSession, el *ole.IDispatch, kv ...any) error {
	for i := 0; i+1 < len(kv); i += 2 {
		p, err := c.callObj(el, "GetPropertyByName", kv[i])
		if err != nil {
			return err
		}
		if err := putProperty(p, "Value", kv[i+1]); err != nil {
			return fmt.Errorf("%v: %w", kv[i], err)
		}
	}
	return nil
}
