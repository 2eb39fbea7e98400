// Package hostguard is the DNS-rebinding guard of iiskit's loopback HTTP services (the
// lab host's control API, the watch daemon's status server). A web page can make its own
// name resolve to 127.0.0.1 and then read such a service as if it were its own origin;
// the browser still sends the page's name as Host, so a service that answers only to a
// Host that cannot be another site's name is out of the page's reach.
package hostguard

import (
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
)

// Trusted reports whether the request's Host names this machine by an address a browser
// cannot be tricked into using for another site: localhost, a loopback IP, or the IP the
// connection arrived on (the listen address).
func Trusted(r *http.Request) bool {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || ip.Zone() != "" {
		return false
	}
	ip = ip.Unmap()
	if ip.IsLoopback() {
		return true
	}
	if la, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		if ap, err := netip.ParseAddrPort(la.String()); err == nil && ap.Addr().Unmap() == ip {
			return true
		}
	}
	return false
}

// Quote quotes a Host header for an error message, cut short: it is the caller's text.
func Quote(h string) string {
	const max = 100
	if len(h) > max {
		h = h[:max] + "..."
	}
	return strconv.Quote(h)
}
