package platform

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/iiskit/iiskit/internal/resource"
)

// SiteState is an IIS site's state. The values are Microsoft.Web.Administration's
// ObjectState and the ftpServer element's state attribute.
type SiteState int

// The five site states.
const (
	SiteStarting SiteState = 0
	SiteStarted  SiteState = 1
	SiteStopping SiteState = 2
	SiteStopped  SiteState = 3
	SiteUnknown  SiteState = 4
)

var siteStateNames = [...]string{"Starting", "Started", "Stopping", "Stopped", "Unknown"}

// String returns the state as IIS prints it (Started, Stopped, ...): the catalogue's
// $SITESTATE.
func (s SiteState) String() string {
	if s >= SiteStarting && s <= SiteUnknown {
		return siteStateNames[s]
	}
	return fmt.Sprintf("Unknown(%d)", int(s))
}

// ParseSiteState reads a state as IIS prints it, case-insensitively; anything else is
// Unknown with an error.
func ParseSiteState(s string) (SiteState, error) {
	for i, n := range siteStateNames {
		if strings.EqualFold(strings.TrimSpace(s), n) {
			return SiteState(i), nil
		}
	}
	return SiteUnknown, fmt.Errorf("unknown site state %q", s)
}

// Site is one IIS site as one listing shows it.
type Site struct {
	Name string
	// ID is the site index: SITE.ID on IIS 7+, the metabase instance number on IIS 6.
	ID int64
	// State is the state of the service type it was listed for: for FTP, the ftpServer
	// state, which IIS keeps apart from the WAS state of the same site.
	State    SiteState
	Bindings []resource.Binding
	// Pools are the application pools of the site's applications, the root application's
	// first, each once (SPEC P's default app_pools). Only W3 sites have them; a listing
	// that cannot tell leaves it nil.
	Pools []string
}

// Sites is the part of IIS that iiskit uses. Each method is one observation or one request.
type Sites interface {
	// ListSites returns every site of the service type t, with ids, bindings and states,
	// in one call (on Windows, one appcmd process).
	ListSites(ctx context.Context, t resource.Type) ([]Site, error)
	// StartSite asks IIS to start the site for service type t; it does not wait.
	StartSite(ctx context.Context, t resource.Type, s Site) error
	// StopSite asks IIS to stop the site for service type t; it does not wait.
	StopSite(ctx context.Context, t resource.Type, s Site) error
}

// Host is everything an action needs from the machine.
type Host interface {
	Services
	Sites
	Pools
	// ServiceName returns the Windows service carrying type t on this host (FTPSVC or
	// MSFTPSVC for FTP): the catalogue's $SVCTYPE.
	ServiceName(ctx context.Context, t resource.Type) (string, error)
	// Hostname returns the host's name, the catalogue's $SYS.
	Hostname() string
}

// ErrNoSite reports a site that does not exist for the service (the spec's "no index").
var ErrNoSite = errors.New("site not found")

// ErrNoService reports a Windows service that is not installed.
var ErrNoService = errors.New("service not installed")

// FindSite returns the site named name from a listing. IIS site names are unique and
// compared case-insensitively by IIS; an exact match wins over a case-insensitive one.
func FindSite(sites []Site, name string) (Site, bool) {
	found := -1
	for i, s := range sites {
		if s.Name == name {
			return s, true
		}
		if found < 0 && strings.EqualFold(s.Name, name) {
			found = i
		}
	}
	if found >= 0 {
		return sites[found], true
	}
	return Site{}, false
}

// SiteFinder is a Host that picks one site from its listing faster than a scan of it: the
// watch daemon's view of one tick indexes the listing it shares between 1,000 checks, so
// that each check's lookup is not a scan of 1,000 sites. FindSite must answer as FindSite
// over ListSites' answer would.
type SiteFinder interface {
	FindSite(ctx context.Context, t resource.Type, name string) (site Site, found bool, err error)
}

// Lookup reads h's listing of type t and picks the site named name (FindSite), or lets h
// pick it when h is a SiteFinder.
func Lookup(ctx context.Context, h Sites, t resource.Type, name string) (Site, bool, error) {
	if f, ok := h.(SiteFinder); ok {
		return f.FindSite(ctx, t, name)
	}
	sites, err := h.ListSites(ctx, t)
	if err != nil {
		return Site{}, false, err
	}
	s, found := FindSite(sites, name)
	return s, found, nil
}

// ErrPrerequisite reports that the platform cannot work on this machine as it is: not
// elevated, IIS not installed, appcmd missing. The command line maps it to exit status 2
// (nothing was changed).
var ErrPrerequisite = errors.New("platform prerequisite missing")
