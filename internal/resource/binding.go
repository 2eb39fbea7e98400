package resource

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"unicode"
)

// Binding is one IIS site binding, written by IIS as protocol/IP:Port:HostHeader
// (http/192.168.1.10:80:www.example.com, ftp/*:21:, https/[::1]:443:).
type Binding struct {
	// Protocol is lower case: http, https, ftp or smtp.
	Protocol string
	// IP is the address the binding is limited to; the zero Addr means All Unassigned
	// (IIS writes "*" or leaves the field empty).
	IP netip.Addr
	// Port is the TCP port, 1..65535.
	Port uint16
	// Host is the host header, empty when the binding answers for any host.
	Host string
}

// ErrForeignProtocol marks a binding whose protocol no service of iiskit's handles
// (net.tcp, net.pipe, msmq...). Platforms skip such bindings; test with errors.Is.
var ErrForeignProtocol = errors.New("binding protocol is not http, https, ftp or smtp")

// ParseBinding reads protocol/IP:Port:HostHeader, the form appcmd prints and the lab's
// --binding flag takes. IPv6 addresses are in brackets; "*" or an empty IP means All
// Unassigned. Protocols are matched case-insensitively.
func ParseBinding(s string) (Binding, error) {
	proto, info, ok := strings.Cut(s, "/")
	if !ok {
		return Binding{}, fmt.Errorf("binding %q: want protocol/IP:Port:HostHeader, e.g. http/127.0.0.1:80:", s)
	}
	b, err := ParseBindingInfo(proto, info)
	if err != nil {
		return Binding{}, fmt.Errorf("binding %q: %w", s, err)
	}
	return b, nil
}

// ParseBindingInfo reads the bindingInformation attribute of applicationHost.config
// (IP:Port:HostHeader) for the given protocol; SMTP's ServerBindings have the same shape.
func ParseBindingInfo(protocol, info string) (Binding, error) {
	proto := strings.ToLower(strings.TrimSpace(protocol))
	if proto == "" {
		return Binding{}, errors.New("empty protocol")
	}
	if _, ok := TypeOfProtocol(proto); !ok {
		return Binding{}, fmt.Errorf("protocol %q: %w", protocol, ErrForeignProtocol)
	}
	for _, r := range info {
		if unicode.IsControl(r) {
			return Binding{}, fmt.Errorf("control character %q in binding information", r)
		}
	}
	var ipText, rest string
	if strings.HasPrefix(info, "[") {
		end := strings.IndexByte(info, ']')
		if end < 0 {
			return Binding{}, fmt.Errorf("IPv6 address %q has no closing bracket", info)
		}
		ipText, rest = info[1:end], info[end+1:]
		if !strings.HasPrefix(rest, ":") {
			return Binding{}, fmt.Errorf("want [IPv6]:Port:HostHeader, got %q", info)
		}
		rest = rest[1:]
		if ipText == "" {
			return Binding{}, errors.New("empty IPv6 address in brackets")
		}
	} else {
		var ok bool
		ipText, rest, ok = strings.Cut(info, ":")
		if !ok {
			return Binding{}, fmt.Errorf("want IP:Port:HostHeader, got %q", info)
		}
	}
	portText, host, ok := strings.Cut(rest, ":")
	if !ok {
		return Binding{}, fmt.Errorf("want IP:Port:HostHeader (the last colon is required even with no host header), got %q", info)
	}
	if strings.Contains(host, ":") {
		return Binding{}, fmt.Errorf("too many colons in %q (IPv6 addresses go in brackets)", info)
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil || port == 0 {
		return Binding{}, fmt.Errorf("port %q is not a number from 1 to 65535", portText)
	}
	b := Binding{Protocol: proto, Port: uint16(port), Host: host}
	switch ipText {
	case "", "*":
	default:
		ip, err := netip.ParseAddr(ipText)
		if err != nil || ip.Zone() != "" {
			return Binding{}, fmt.Errorf("IP address %q is neither an address nor *", ipText)
		}
		if ip.Is4() != !strings.HasPrefix(info, "[") {
			return Binding{}, fmt.Errorf("IP address %q: IPv6 addresses go in brackets, IPv4 ones do not", ipText)
		}
		b.IP = ip.Unmap()
	}
	return b, nil
}

// Unassigned reports whether the binding has no IP address ("*" or empty), the case of
// SPEC D4.3.
func (b Binding) Unassigned() bool { return !b.IP.IsValid() }

// Info returns IP:Port:HostHeader as IIS writes bindingInformation, with "*" for All
// Unassigned and IPv6 in brackets; it is the event catalogue's $abind.
func (b Binding) Info() string {
	ip := "*"
	switch {
	case !b.IP.IsValid():
	case b.IP.Is6():
		ip = "[" + b.IP.String() + "]"
	default:
		ip = b.IP.String()
	}
	return ip + ":" + strconv.Itoa(int(b.Port)) + ":" + b.Host
}

// String returns protocol/IP:Port:HostHeader.
func (b Binding) String() string { return b.Protocol + "/" + b.Info() }

// HostPort returns the IP and port in the form net.Dial takes, using ip in place of an
// unassigned address.
func (b Binding) HostPort(unassigned netip.Addr) string {
	ip := b.IP
	if !ip.IsValid() {
		ip = unassigned
	}
	return netip.AddrPortFrom(ip, b.Port).String()
}

// SameEndpoint reports whether two bindings claim the same IP:Port:HostHeader (SPEC R4).
// Host headers compare case-insensitively, as HTTP host names do; a bare "*" host is the
// empty host.
func (b Binding) SameEndpoint(o Binding) bool {
	return b.IP == o.IP && b.Port == o.Port && (strings.EqualFold(b.Host, o.Host) || b.AnyHost() && o.AnyHost())
}

// DefaultProbeHostLabel is the label the probe puts in place of the leading "*" of a
// wildcard host header (*.example.com → iiskit-probe.example.com) when the resource names
// none (probe_host_label): a name no real client uses, so the site's logs tell the
// probe's requests apart.
const DefaultProbeHostLabel = "iiskit-probe"

// AnyHost reports whether the binding answers for any host name: no host header, or a
// bare "*" (IIS 10 writes both; a bare "*" is the empty host).
func (b Binding) AnyHost() bool { return b.Host == "" || b.Host == "*" }

// WildcardSuffix returns ".example.com" for an IIS 10 wildcard host header
// "*.example.com", and false for any other host header.
func (b Binding) WildcardSuffix() (string, bool) {
	if len(b.Host) > 2 && strings.HasPrefix(b.Host, "*.") {
		return b.Host[1:], true
	}
	return "", false
}

// ProbeHost is the host name a probe sends for the binding (Host header, SNI, the FTP
// virtual host): "" for a binding that answers any host (the probe then sends the
// address), label in place of the "*" of a wildcard host header, the host header itself
// otherwise. IIS routes the name it returns to this binding (see MatchesHost).
func (b Binding) ProbeHost(label string) string {
	if b.AnyHost() {
		return ""
	}
	if suffix, ok := b.WildcardSuffix(); ok {
		if label == "" {
			label = DefaultProbeHostLabel
		}
		return label + suffix
	}
	return b.Host
}

// HostMatch says how a request's host name matches a binding, in IIS 10's order of
// preference: an exact host header wins over a wildcard one, which wins over a binding
// for any host.
type HostMatch int

// The matches, worst first: a larger value wins.
const (
	NoHostMatch HostMatch = iota
	AnyHostMatch
	WildcardHostMatch
	ExactHostMatch
)

// MatchesHost reports how IIS 10 matches host (a request's host name, without port)
// against the binding: case-insensitively; a wildcard "*.example.com" stands for one or
// more labels before ".example.com" (not example.com itself, nor a literal "*"). For
// two wildcards that both match, the longer suffix is the more specific: compare
// WildcardSuffix lengths.
func (b Binding) MatchesHost(host string) HostMatch {
	switch suffix, wild := b.WildcardSuffix(); {
	case b.AnyHost():
		return AnyHostMatch
	case wild:
		if len(host) > len(suffix) && strings.EqualFold(host[len(host)-len(suffix):], suffix) &&
			ValidHostLabels(host[:len(host)-len(suffix)]) {
			return WildcardHostMatch
		}
	case strings.EqualFold(b.Host, host):
		return ExactHostMatch
	}
	return NoHostMatch
}

// ValidHostLabels reports whether s is one or more DNS labels joined by dots: letters,
// digits, hyphens and underscores, 1 to 63 of them each, 253 in all.
func ValidHostLabels(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}
