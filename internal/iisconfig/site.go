// Package iisconfig is IIS's own description of a site, as applicationHost.config, appcmd
// and the AHADMIN COM API hold it, before any service type's view is applied: a name, an
// id, a state and the bindings as IIS stores them. appcmd's parser, the Windows FTP path
// and the lab host's configuration reader all produce it; For turns it into the
// platform.Site one service type sees.
package iisconfig

import (
	"errors"
	"fmt"
	"slices"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// Site is one <site> of IIS's configuration.
type Site struct {
	Name string
	// ID is the site's id attribute (SITE.ID).
	ID int64
	// State is the state the source reported: the WAS state from appcmd, the ftpServer
	// state from the FTP path; a configuration file has none (Unknown).
	State    platform.SiteState
	Bindings []RawBinding
}

// RawBinding is one binding as IIS stores it: a protocol and its bindingInformation,
// whose shape depends on the protocol (net.tcp's is "808:*", net.pipe's "*").
type RawBinding struct {
	Protocol    string
	Information string
}

// String returns protocol/information, the form appcmd prints.
func (b RawBinding) String() string { return b.Protocol + "/" + b.Information }

// HasProtocolOf reports whether the site has a binding that belongs to service type t.
func (s Site) HasProtocolOf(t resource.Type) bool {
	for _, b := range s.Bindings {
		if bt, ok := resource.TypeOfProtocol(b.Protocol); ok && bt == t {
			return true
		}
	}
	return false
}

// IsW3 reports whether the site belongs to W3SVC's view (see TypesOf).
func (s Site) IsW3() bool { return s.Listed(resource.W3) }

// Listed reports whether the listing of service type t holds the site (see TypesOf).
func (s Site) Listed(t resource.Type) bool { return slices.Contains(s.Types(), t) }

// Types returns the service types whose listings hold the site (see TypesOf).
func (s Site) Types() []resource.Type {
	protocols := make([]string, len(s.Bindings))
	for i, b := range s.Bindings {
		protocols[i] = b.Protocol
	}
	return TypesOf(protocols)
}

// TypesOf is the one rule for which service types' listings hold a site with bindings
// of these protocols, in type order: each type a binding belongs to, and W3 for a site
// with no binding of any served protocol (no bindings at all, or only WCF ones such as
// net.tcp), which is still a WAS site. The Windows host and the lab host both type sites
// by it.
func TypesOf(protocols []string) []resource.Type {
	var out []resource.Type
	for _, p := range protocols {
		if t, ok := resource.TypeOfProtocol(p); ok && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		out = append(out, resource.W3)
	}
	slices.Sort(out)
	return out
}

// For returns the site as service type t sees it: only the bindings of t's protocols,
// parsed. A binding of t's protocols that does not parse is an error (SPEC S5: garbage
// from IIS is reported, not guessed at); other protocols' bindings are skipped.
func (s Site) For(t resource.Type) (platform.Site, error) {
	out := platform.Site{Name: s.Name, ID: s.ID, State: s.State, Bindings: []resource.Binding{}}
	bs, err := s.parse(func(bt resource.Type) bool { return bt == t })
	if err != nil {
		return platform.Site{}, err
	}
	out.Bindings = append(out.Bindings, bs...)
	return out, nil
}

// ServedBindings parses the bindings of every protocol an iiskit service type serves
// (http, https, ftp, smtp), skipping the others (net.tcp, net.pipe, msmq...). A binding
// of a served protocol that does not parse is an error.
func (s Site) ServedBindings() ([]resource.Binding, error) {
	return s.parse(func(resource.Type) bool { return true })
}

// parse parses the bindings whose protocol's type keep accepts.
func (s Site) parse(keep func(resource.Type) bool) ([]resource.Binding, error) {
	var out []resource.Binding
	for _, rb := range s.Bindings {
		bt, ok := resource.TypeOfProtocol(rb.Protocol)
		if !ok || !keep(bt) {
			continue
		}
		b, err := resource.ParseBindingInfo(rb.Protocol, rb.Information)
		if errors.Is(err, resource.ErrForeignProtocol) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("site %q binding %q: %w", s.Name, rb.String(), err)
		}
		out = append(out, b)
	}
	return out, nil
}
