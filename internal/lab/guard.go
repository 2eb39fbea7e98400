package lab

import (
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/iiskit/iiskit/internal/hostguard"
	"github.com/iiskit/iiskit/internal/lab/labapi"
)

// guard serves only the callers the control API is for: programs on this machine (the
// lab client, curl) and never a web page. A page in a browser can reach a loopback port in
// two ways, and each is refused here:
//   - a cross-origin request: any request, a read as much as a change, whose
//     Sec-Fetch-Site says cross-site or same-site or whose Origin is not the API's own is
//     refused (sameOrigin), and a change request must carry Content-Type
//     application/json, which no page can send cross-origin without a CORS preflight this
//     API never grants;
//   - DNS rebinding (the page's own name made to resolve to 127.0.0.1): the browser then
//     sends that name as Host, so a Host that is not an IP literal on loopback (or the
//     address the request arrived on, for a lab in a network namespace) or localhost is
//     refused, for reads too.
//
// net/http's CrossOriginProtection makes the same origin check but, by design, lets
// GET, HEAD and OPTIONS through; the lab's status is no page's business either, so the
// check is made here for every method.
func guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !sameOrigin(r) {
			writeJSON(w, http.StatusForbidden, labapi.ErrorBody{Code: labapi.CodeForbidden,
				Error: "cross-origin request refused: the lab host's control API serves programs on this machine, not web pages"})
			return
		}
		if !hostguard.Trusted(r) {
			writeJSON(w, http.StatusForbidden, labapi.ErrorBody{Code: labapi.CodeForbidden,
				Error: "request for host " + hostguard.Quote(r.Host) + " refused: the lab host's control API answers only to a loopback address or localhost"})
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
				writeJSON(w, http.StatusUnsupportedMediaType, labapi.ErrorBody{Code: labapi.CodeBadRequest,
					Error: "a control request must have Content-Type application/json"})
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// sameOrigin reports whether nothing in the request says a browser sent it from another
// origin: no Sec-Fetch-Site but same-origin or none (a user's own navigation), and no
// Origin but http:// and the Host the request was sent to. Programs send neither header.
func sameOrigin(r *http.Request) bool {
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "", "same-origin", "none":
	default:
		return false
	}
	origin, sent := r.Header["Origin"]
	if !sent {
		return true
	}
	if len(origin) != 1 {
		return false
	}
	u, err := url.Parse(origin[0])
	return err == nil && u.Scheme == "http" && u.Path == "" && u.User == nil && strings.EqualFold(u.Host, r.Host)
}
