// Package metabase turns the values the IIS 6 metabase's WMI provider (root\MicrosoftIISv2)
// reports for SMTP virtual servers and IIS 6 FTP sites into platform sites. It is
// OS-neutral so its rules are tested everywhere; winhost reads the values.
package metabase

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// ServerBinding is one element of ServerBindings as WMI gives it: an embedded
// ServerBinding object with IP, Port and Hostname strings. An empty IP or host is the
// wildcard; the metabase has no IPv6 bindings.
type ServerBinding struct {
	IP       string `json:"ip"`
	Port     string `json:"port"`
	Hostname string `json:"hostname"`
}

// Setting is one IIsSmtpServerSetting or IIsFtpServerSetting object.
type Setting struct {
	// Name is the instance path, e.g. "SmtpSvc/1".
	Name string `json:"name"`
	// ServerComment is the name administrators see: the site's name.
	ServerComment  string          `json:"serverComment"`
	ServerBindings []ServerBinding `json:"serverBindings"`
}

// ParseInstance reads "SmtpSvc/1" (any service prefix, any letter case) into the
// instance number, the site index.
func ParseInstance(name string) (int64, error) {
	_, n, ok := strings.Cut(name, "/")
	if !ok {
		return 0, fmt.Errorf("metabase instance %q: want SERVICE/NUMBER", name)
	}
	id, err := strconv.ParseInt(n, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("metabase instance %q: %q is not a positive number", name, n)
	}
	return id, nil
}

// Binding turns one ServerBinding into a binding of protocol.
func Binding(protocol string, b ServerBinding) (resource.Binding, error) {
	return resource.ParseBindingInfo(protocol, strings.TrimSpace(b.IP)+":"+strings.TrimSpace(b.Port)+":"+strings.TrimSpace(b.Hostname))
}

// SiteState maps ServerState (MD_SERVER_STATE_*: 1 starting, 2 started, 3 stopping,
// 4 stopped, 5 pausing, 6 paused, 7 continuing) onto the site states. The pause
// states have no equivalent and are Unknown: a paused server is not serving, so it must
// not count as Started.
func SiteState(serverState int) platform.SiteState {
	switch serverState {
	case 1:
		return platform.SiteStarting
	case 2:
		return platform.SiteStarted
	case 3:
		return platform.SiteStopping
	case 4:
		return platform.SiteStopped
	}
	return platform.SiteUnknown
}

// Sites builds the platform's sites from the settings and the ServerState values keyed
// by instance path (case-insensitively, since WMI keeps the metabase's spelling). An
// instance missing from states is Unknown.
func Sites(protocol string, settings []Setting, states map[string]int) ([]platform.Site, error) {
	lower := make(map[string]int, len(states))
	for k, v := range states {
		lower[strings.ToLower(k)] = v
	}
	sites := make([]platform.Site, 0, len(settings))
	for _, s := range settings {
		id, err := ParseInstance(s.Name)
		if err != nil {
			return nil, err
		}
		site := platform.Site{Name: s.ServerComment, ID: id, State: platform.SiteUnknown, Bindings: []resource.Binding{}}
		if site.Name == "" {
			site.Name = s.Name
		}
		if st, ok := lower[strings.ToLower(s.Name)]; ok {
			site.State = SiteState(st)
		}
		for _, sb := range s.ServerBindings {
			b, err := Binding(protocol, sb)
			if err != nil {
				return nil, fmt.Errorf("%s (%s) ServerBindings: %w", site.Name, s.Name, err)
			}
			site.Bindings = append(site.Bindings, b)
		}
		sites = append(sites, site)
	}
	return sites, nil
}
