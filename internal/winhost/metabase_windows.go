//go:build windows

package winhost

import (
	"context"
	"fmt"
	"strings"

	ole "github.com/go-ole/go-ole"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/winhost/metabase"
)

// metabaseSites reads SMTP virtual servers, and FTP sites on IIS 6, from the IIS 6
// metabase through its WMI provider (root\MicrosoftIISv2): the *ServerSetting class for
// names and ServerBindings, the *Server class for ServerState. Values are read through
// Properties_.Item(name).Value, which works wherever the provider does (direct property
// reads are not implemented by every scripting host).
type metabaseSites struct {
	settingClass string // IIsSmtpServerSetting or IIsFtpServerSetting
	serverClass  string // IIsSmtpServer or IIsFtpServer
	protocol     string // smtp or ftp
	// service is the Windows service carrying the sites.
	service string
	// serverMethods: the server class has Start/Stop. IIsFtpServer does; Microsoft's
	// IIS 6 SDK says "The IIsSmtpServer object has no methods", so SMTP virtual servers
	// are started and stopped with their service (see start and stop).
	serverMethods bool
	scm           scm
	com           *comRunner
	// locator is the ProgID of the WMI scripting locator (WbemScripting.SWbemLocator).
	locator string
}

func smtpSites(s scm, com *comRunner, locator string) metabaseSites {
	return metabaseSites{settingClass: "IIsSmtpServerSetting", serverClass: "IIsSmtpServer", protocol: "smtp", service: "SMTPSVC", scm: s, com: com, locator: locator}
}

func legacyFTPSites(s scm, com *comRunner, locator string) metabaseSites {
	return metabaseSites{settingClass: "IIsFtpServerSetting", serverClass: "IIsFtpServer", protocol: "ftp", service: "MSFTPSVC", serverMethods: true, scm: s, com: com, locator: locator}
}

const iis6Namespace = `root\MicrosoftIISv2`

func (m metabaseSites) list(ctx context.Context) ([]platform.Site, error) {
	var sites []platform.Site
	err := m.com.run(ctx, "list "+m.protocol+" sites", func(c *comSession) error {
		svc, err := m.connect(c)
		if err != nil {
			return err
		}
		var settings []metabase.Setting
		err = m.query(c, svc, "SELECT Name, ServerComment, ServerBindings FROM "+m.settingClass, func(o *ole.IDispatch) error {
			var s metabase.Setting
			var err error
			if s.Name, err = m.stringProp(c, o, "Name"); err != nil {
				return err
			}
			if s.ServerComment, err = m.stringProp(c, o, "ServerComment"); err != nil {
				return err
			}
			s.ServerBindings, err = m.bindings(c, o)
			settings = append(settings, s)
			return err
		})
		if err != nil {
			return err
		}
		states := map[string]int{}
		err = m.query(c, svc, "SELECT Name, ServerState FROM "+m.serverClass, func(o *ole.IDispatch) error {
			name, err := m.stringProp(c, o, "Name")
			if err != nil {
				return err
			}
			v, err := prop(c, o, "ServerState")
			if err != nil {
				return err
			}
			n, err := toInt(v)
			if err != nil {
				return fmt.Errorf("%s ServerState: %w", name, err)
			}
			states[name] = int(n)
			return nil
		})
		if err != nil {
			return err
		}
		sites, err = metabase.Sites(m.protocol, settings, states)
		return err
	})
	return sites, err
}

// start: with server methods, the instance's Start; for SMTP, the SMTPSVC service, which
// brings up every virtual server whose ServerAutoStart is set (the metabase keeps it in
// step with the last start/stop). A running service with this virtual server stopped
// cannot be fixed by verified means, so it is an error saying what to do.
func (m metabaseSites) start(ctx context.Context, s platform.Site) error {
	if m.serverMethods {
		return m.method(ctx, s, "Start")
	}
	st, err := m.scm.state(m.service)
	if err != nil {
		return err
	}
	if st == platform.Running {
		return fmt.Errorf("start SMTP virtual server %q: %s is running but this virtual server is not; iiskit cannot start one SMTP virtual server alone (the IIS 6 WMI provider has no methods for it): start it in IIS 6 Manager, or restart %s", s.Name, m.service, m.service)
	}
	return m.scm.start(m.service)
}

// stop: with server methods, the instance's Stop; for SMTP, a stop of the SMTPSVC
// service, which stops every SMTP virtual server of the host (documented in
// docs/windows.md: protect one SMTP virtual server per host).
func (m metabaseSites) stop(ctx context.Context, s platform.Site) error {
	if m.serverMethods {
		return m.method(ctx, s, "Stop")
	}
	return m.scm.stop(m.service)
}

// method runs Start or Stop on the server object of instance s.ID. The object path holds
// only the service prefix and the numeric id, never the site's name (SPEC S1).
func (m metabaseSites) method(ctx context.Context, s platform.Site, name string) error {
	return m.com.run(ctx, strings.ToLower(name)+" "+m.protocol+" site", func(c *comSession) error {
		svc, err := m.connect(c)
		if err != nil {
			return err
		}
		obj, err := c.callObj(svc, "Get", fmt.Sprintf("%s.Name='%s/%d'", m.serverClass, m.service, s.ID))
		if err != nil {
			return fmt.Errorf("%s (id %d): %w: %w", s.Name, s.ID, platform.ErrNoSite, err)
		}
		_, err = c.call(obj, name)
		return err
	})
}

func (m metabaseSites) connect(c *comSession) (*ole.IDispatch, error) {
	loc, err := c.create(m.locator)
	if err != nil {
		return nil, err
	}
	svc, err := c.callObj(loc, "ConnectServer", ".", iis6Namespace)
	if err != nil {
		return nil, fmt.Errorf("%w: %w: %w", platform.ErrPrerequisite, errNoIIS6Compat, err)
	}
	return svc, nil
}

// query runs a WQL query and calls fn for each object.
func (m metabaseSites) query(c *comSession, svc *ole.IDispatch, wql string, fn func(*ole.IDispatch) error) error {
	set, err := c.callObj(svc, "ExecQuery", wql)
	if err != nil {
		return fmt.Errorf("%s: %w", wql, err)
	}
	return c.each(set, fn)
}

func (m metabaseSites) stringProp(c *comSession, o *ole.IDispatch, name string) (string, error) {
	v, err := prop(c, o, name)
	if err != nil {
		return "", err
	}
	s, err := toString(v)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

// bindings reads ServerBindings, an array of embedded ServerBinding objects.
func (m metabaseSites) bindings(c *comSession, o *ole.IDispatch) ([]metabase.ServerBinding, error) {
	v, err := prop(c, o, "ServerBindings")
	if err != nil {
		return nil, err
	}
	out := []metabase.ServerBinding{}
	if v.VT == ole.VT_NULL || v.VT == ole.VT_EMPTY {
		return out, nil
	}
	objs, err := c.objects(v)
	if err != nil {
		return nil, fmt.Errorf("ServerBindings: %w", err)
	}
	for _, d := range objs {
		var sb metabase.ServerBinding
		for _, f := range []struct {
			name string
			dst  *string
		}{{"IP", &sb.IP}, {"Port", &sb.Port}, {"Hostname", &sb.Hostname}} {
			if *f.dst, err = m.stringProp(c, d, f.name); err != nil {
				return nil, fmt.Errorf("ServerBindings: %w", err)
			}
		}
		out = append(out, sb)
	}
	return out, nil
}

// prop reads obj.Properties_.Item(name).Value.
func prop(c *comSession, o *ole.IDispatch, name string) (*ole.VARIANT, error) {
	props, err := c.getObj(o, "Properties_")
	if err != nil {
		return nil, err
	}
	item, err := c.item(props, "Item", name)
	if err != nil {
		return nil, err
	}
	return c.get(item, "Value")
}
