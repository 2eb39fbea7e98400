package appcmd

import (
	"strings"

	"github.com/iiskit/iiskit/internal/iisconfig"
	"github.com/iiskit/iiskit/internal/platform"
)

// splitBindings cuts appcmd's comma-joined "bindings" attribute or text field into
// bindings. A piece without "/" continues the previous binding, because only the
// protocol prefix marks where a binding starts.
func splitBindings(s string) []iisconfig.RawBinding {
	out := []iisconfig.RawBinding{}
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
			out = append(out, iisconfig.RawBinding{Information: piece})
			continue
		}
		// A host header holds no blanks: those around a piece are the listing's spacing
		// ("http/*:80:, https/*:443:").
		out = append(out, iisconfig.RawBinding{Protocol: strings.ToLower(strings.TrimSpace(proto)), Information: strings.TrimRight(info, " \t")})
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
