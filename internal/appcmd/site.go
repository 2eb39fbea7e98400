package appcmd

import (
	"fmt"
	"strings"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// Site is one site as appcmd lists it, before any service type's view is applied.
type Site struct {
	Name string `json:"name"`
	ID   int64  `json:"id"`
	// State is the WAS state; StateText is appcmd's word for it, kept for messages.
	State     platform.SiteState `json:"state"`
	StateText string             `json:"stateText"`
	Bindings  []RawBinding       `json:"bindings"`
}

// RawBinding is one binding as IIS stores it: a protocol and its bindingInformation,
// whose shape depends on the protocol (net.tcp's is "808:*", net.pipe's "*").
type RawBinding struct {
	Protocol    string `json:"protocol"`
	Information string `json:"information"`
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

// For returns the site as service type t sees it: only the bindings of t's protocols,
// parsed. A binding of t's protocols that does not parse is an error (SPEC S5: garbage
// from appcmd is reported, not guessed at); other protocols' bindings are skipped.
func (s Site) For(t resource.Type) (platform.Site, error) {
	out := platform.Site{Name: s.Name, ID: s.ID, State: s.State, Bindings: []resource.Binding{}}
	for _, rb := range s.Bindings {
		bt, ok := resource.TypeOfProtocol(rb.Protocol)
		if !ok || bt != t {
			continue
		}
		b, err := resource.ParseBindingInfo(rb.Protocol, rb.Information)
		if err != nil {
			return platform.Site{}, fmt.Errorf("site %q binding %q: %w", s.Name, rb.String(), err)
		}
		out.Bindings = append(out.Bindings, b)
	}
	return out, nil
}

// IsW3 reports whether the site belongs to W3SVC's view: it has an http or https
// binding, or no binding of FTP at all (a site with no bindings, or only WCF ones, is
// still a WAS site). FTP-only sites are FTPSVC's business.
func (s Site) IsW3() bool {
	return s.HasProtocolOf(resource.W3) || !s.HasProtocolOf(resource.FTP)
}

// splitBindings cuts appcmd's comma-joined "bindings" attribute or text field into
// bindings. A piece without "/" continues the previous binding, because only the
// protocol prefix marks where a binding starts.
func splitBindings(s string) []RawBinding {
	out := []RawBinding{}
	if strings.TrimSpace(s) == "" {
		return out
	}
	for _, piece := range strings.Split(s, ",") {
		proto, info, ok := strings.Cut(piece, "/")
		if !ok || strings.ContainsAny(proto, ":[*") {
			if n := len(out); n > 0 {
				out[n-1].Information += "," + piece
				continue
			}
			out = append(out, RawBinding{Information: piece})
			continue
		}
		out = append(out, RawBinding{Protocol: strings.ToLower(strings.TrimSpace(proto)), Information: info})
	}
	return out
}

// parseState reads appcmd's state word; an unknown word is Unknown, never an error,
// since appcmd prints states IIS invents.
func parseState(s string) platform.SiteState {
	st, err := platform.ParseSiteState(s)
	if err != nil {
		return platform.SiteUnknown
	}
	return st
}
