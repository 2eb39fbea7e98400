package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iiskit/iiskit/internal/resource"
)

// checkLoopback refuses a binding the lab would have to listen for outside this machine:
// every call site (a loaded configuration, an added site, a site's start) goes through
// it. It is allowAddress with the facts of the namespace this process runs in.
func checkLoopback(b resource.Binding) error {
	return allowAddress(b, thisNamespace())
}

// allowAddress is the one rule for where the lab may listen: on loopback always; on any
// other address only when the lab runs in a network namespace made with `ip netns add`
// (a test's cluster node, ns.Named), whose addresses exist only inside it. Such an
// address is allowed even if the node does not hold it yet (a floating IP that arrives
// with the resource): the listen then fails and only that site stays Stopped. A binding
// without an IP (All Unassigned) listens on 127.0.0.1.
func allowAddress(b resource.Binding, ns namespace) error {
	if !b.IP.IsValid() || b.IP.Unmap().IsLoopback() {
		return nil
	}
	if ns.Named != "" {
		return nil
	}
	return fmt.Errorf("binding %s: the lab host listens only on loopback addresses (127.0.0.0/8 or ::1), not on %s (other addresses only inside a network namespace made with ip netns add)", b, b.IP)
}

// namespace is what the lab knows of the network namespace it runs in.
type namespace struct {
	// Named is the name under /run/netns of this process's network namespace, "" when it
	// has none (the machine's own namespace, or one made otherwise).
	Named string
}

// thisNamespace reads the facts once per process: a process does not change namespace.
var thisNamespace = sync.OnceValue(func() namespace { return namespace{Named: namedNetns(netnsSelf, netnsDir)} })

// maxHold bounds how long a site that responds hang keeps a connection in silence.
const maxHold = 5 * time.Minute

// serveStopTimeout bounds the wait for a protocol server's accept loop to end.
const serveStopTimeout = 5 * time.Second

// unassignedIP is where a binding with no IP (* or empty) listens.
var unassignedIP = netip.AddrFrom4([4]byte{127, 0, 0, 1})

// network owns the lab's listening sockets: one endpoint per IP:port, shared by the HTTP
// sites bound there.
type network struct {
	maxHold time.Duration

	mu  sync.Mutex
	eps map[netip.AddrPort]*endpoint
}

func newNetwork() *network {
	return &network{maxHold: maxHold, eps: map[netip.AddrPort]*endpoint{}}
}

// liveSite is a started site as its listeners see it. Everything but respond and
// poolDown is fixed while it lives; quit closes when it stops, releasing held requests.
type liveSite struct {
	hostName string
	name     string
	id       int64
	respond  atomic.Pointer[string]
	// poolDown is set while the site's root application pool is not Started: HTTP.sys
	// then answers 503 for it.
	poolDown atomic.Bool
	quit     chan struct{}
	// held gets a value, when it has room, each time an FTP login starts being held in
	// silence (respond hang on a shared IP:port): what the lab's tests wait on before they
	// release the login, since nothing a client sees tells that the login arrived.
	held chan struct{}
	eps  []*endpoint
}

func (ls *liveSite) mode() string { return *ls.respond.Load() }

// listenAddr is where a binding listens: its IP, or 127.0.0.1 for All Unassigned.
func listenAddr(b resource.Binding) netip.AddrPort {
	ip := b.IP
	if !ip.IsValid() {
		ip = unassignedIP
	}
	return netip.AddrPortFrom(ip, b.Port)
}

// attach opens a site's bindings. Either every binding listens or none does.
func (n *network) attach(hostName, name string, id int64, bindings []resource.Binding, respond string) (*liveSite, error) {
	ls := &liveSite{hostName: hostName, name: name, id: id, quit: make(chan struct{}), held: make(chan struct{}, 1)}
	ls.respond.Store(&respond)
	n.mu.Lock()
	defer n.mu.Unlock()
	var err error
	for _, b := range bindings {
		if err = checkLoopback(b); err != nil {
			break
		}
		if _, ok := resource.TypeOfProtocol(b.Protocol); !ok {
			continue
		}
		addr := listenAddr(b)
		ep := n.eps[addr]
		if ep == nil {
			ep = &endpoint{n: n, addr: addr, kind: b.Protocol, sites: map[*liveSite][]resource.Binding{}}
			n.eps[addr] = ep
		}
		if err = ep.add(ls, b); err != nil {
			n.dropIfEmpty(ep)
			break
		}
		if !containsEP(ls.eps, ep) {
			ls.eps = append(ls.eps, ep)
		}
	}
	if err == nil {
		for _, ep := range ls.eps {
			if err = ep.sync(); err != nil {
				break
			}
		}
	}
	if err != nil {
		n.detachLocked(ls)
		return nil, err
	}
	return ls, nil
}

// detach closes a site's listeners (shared ones stay open for the other sites).
func (n *network) detach(ls *liveSite) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.detachLocked(ls)
}

func (n *network) detachLocked(ls *liveSite) {
	select {
	case <-ls.quit:
	default:
		close(ls.quit)
	}
	for _, ep := range ls.eps {
		ep.remove(ls)
		_ = ep.sync() // closing cannot fail in a way the caller could act on
		n.dropIfEmpty(ep)
	}
	ls.eps = nil
}

func (n *network) dropIfEmpty(ep *endpoint) {
	ep.mu.Lock()
	empty := len(ep.sites) == 0
	ep.mu.Unlock()
	if empty {
		ep.shut()
		delete(n.eps, ep.addr)
	}
}

// setRespond changes how a started site answers; refuse closes listeners and any other mode
// reopens them.
func (n *network) setRespond(ls *liveSite, mode string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	ls.respond.Store(&mode)
	var errs []error
	for _, ep := range ls.eps {
		errs = append(errs, ep.sync())
	}
	return errors.Join(errs...)
}

func containsEP(eps []*endpoint, ep *endpoint) bool {
	for _, e := range eps {
		if e == ep {
			return true
		}
	}
	return false
}

// endpoint is one listening IP:port of one protocol kind (http, https, ftp, smtp).
type endpoint struct {
	n    *network
	addr netip.AddrPort
	kind string

	mu     sync.Mutex
	sites  map[*liveSite][]resource.Binding // each site's bindings here
	single atomic.Pointer[liveSite]
	ln     *trackingListener
	stop   func()
	served chan struct{}
}

// add binds a site here, refusing a binding another started site already holds: for SMTP
// the whole IP:port, for HTTP and FTP the same host name (IIS's "binding in use"; FTP
// sites share an IP:port by FTP virtual host names). A bare "*" is the empty host.
func (ep *endpoint) add(ls *liveSite, b resource.Binding) error {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	if ep.kind != b.Protocol {
		return fmt.Errorf("binding %s: %s is already listening for %s", b, ep.addr, ep.kind)
	}
	for other, bs := range ep.sites {
		if other == ls {
			continue
		}
		if !ep.byHost() {
			return fmt.Errorf("binding %s: %s is in use by site %q", b, ep.addr, other.name)
		}
		for _, o := range bs {
			if o.AnyHost() && b.AnyHost() || strings.EqualFold(o.Host, b.Host) {
				return fmt.Errorf("binding %s is in use by site %q", b, other.name)
			}
		}
	}
	ep.sites[ls] = append(ep.sites[ls], b)
	ep.setSingle()
	return nil
}

func (ep *endpoint) remove(ls *liveSite) {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	delete(ep.sites, ls)
	ep.setSingle()
}

// setSingle records the site bound here when there is exactly one: FTP and SMTP answer
// for it before any command names a host (greeting, respond hang). ep.mu is held.
func (ep *endpoint) setSingle() {
	var only *liveSite
	if len(ep.sites) == 1 {
		for ls := range ep.sites {
			only = ls
		}
	}
	ep.single.Store(only)
}

// byHost reports whether sites share this IP:port by host name: HTTP by the Host header,
// FTP by FTP virtual host names.
func (ep *endpoint) byHost() bool { return ep.isHTTP() || ep.kind == "ftp" }

func (ep *endpoint) isHTTP() bool { return ep.kind == "http" || ep.kind == "https" }

// sync opens the socket when some site bound here answers and closes it when none does
// (no site left, or all set to refuse).
func (ep *endpoint) sync() error {
	ep.mu.Lock()
	want := false
	for ls := range ep.sites {
		if ls.mode() != respondRefuse {
			want = true
		}
	}
	open := ep.ln != nil
	ep.mu.Unlock()
	switch {
	case want && !open:
		return ep.open()
	case !want && open:
		ep.shut()
	}
	return nil
}

// open listens and starts the protocol server. Only the network's lock is held: the
// servers' accept loops take the endpoint's lock, so it must be free while they run.
func (ep *endpoint) open() error {
	var lc net.ListenConfig
	raw, err := lc.Listen(context.Background(), "tcp", ep.addr.String())
	if err != nil {
		return fmt.Errorf("listening on %s for %s: %w", ep.addr, ep.kind, err)
	}
	var hold func() bool
	if !ep.isHTTP() {
		hold = func() bool {
			ls := ep.single.Load()
			return ls != nil && ls.mode() == respondHang
		}
	}
	ln := newTrackingListener(raw, hold, ep.n.maxHold)
	var stop func()
	served := make(chan struct{})
	switch ep.kind {
	case "http", "https":
		stop, err = serveHTTP(ep, ln, served)
	case "ftp":
		stop, err = serveFTP(ep, ln, served)
	case "smtp":
		stop, err = serveSMTP(ep, ln, served)
	default:
		err = fmt.Errorf("no server for protocol %s", ep.kind)
	}
	if err != nil {
		ln.Close()
		return fmt.Errorf("serving %s on %s: %w", ep.kind, ep.addr, err)
	}
	ep.mu.Lock()
	ep.ln, ep.stop, ep.served = ln, stop, served
	ep.mu.Unlock()
	return nil
}

// shut stops the protocol server, closes the socket and every connection, and waits a
// bounded time for the accept loop to end.
func (ep *endpoint) shut() {
	ep.mu.Lock()
	ln, stop, served := ep.ln, ep.stop, ep.served
	ep.ln, ep.stop, ep.served = nil, nil, nil
	ep.mu.Unlock()
	if ln == nil {
		return
	}
	stop()
	ln.Close()
	select {
	case <-served:
	case <-time.After(serveStopTimeout):
	}
}

// siteFor picks the site answering host (a request's host name without port) as IIS 10
// does: a binding with that exact host name, else the wildcard host (*.example.com) with
// the longest suffix matching it, else the binding for any host; nil when none matches.
func (ep *endpoint) siteFor(host string) *liveSite {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	var best *liveSite
	bestMatch, bestLen := resource.NoHostMatch, -1
	for ls, bs := range ep.sites {
		for _, b := range bs {
			m := b.MatchesHost(host)
			suffix, _ := b.WildcardSuffix()
			if m > bestMatch || m == bestMatch && m == resource.WildcardHostMatch && len(suffix) > bestLen {
				best, bestMatch, bestLen = ls, m, len(suffix)
			}
		}
	}
	if bestMatch == resource.NoHostMatch {
		return nil
	}
	return best
}
