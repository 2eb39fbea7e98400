package lab

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/iiskit/iiskit/internal/iisconfig"
	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// The modes a test can set; each list's first entry is the default.
var (
	serviceOnStartModes = []string{"ok", "fail", "hang"}
	siteOnStartModes    = []string{"ok", "ignore"}
	siteOnStopModes     = []string{"ok", "ignore"}
	respondModes        = []string{respondOK, respondHang, respondRefuse, respondHTTP500, respondFTPDeny}
)

// How a started site answers (CLI.md, `respond`).
const (
	respondOK      = "ok"
	respondHang    = "hang"
	respondRefuse  = "refuse"
	respondHTTP500 = "http-500"
	respondFTPDeny = "ftp-deny"
)

// host is the emulated machine. Every field below mu is guarded by it; the listeners have
// their own locks and are only opened and closed with mu held, in that order.
type host struct {
	name string
	net  *network

	mu       sync.Mutex
	closed   bool
	services []*service // W3, FTP, SMTP
	sites    []*site
	// failListings is how many site listings still fail (`lab listings fail N`); -1
	// fails every one until `lab listings ok`.
	failListings int
	pools        []*pool
	// now is the lab's clock, which rapid-fail protection counts failures by; a test
	// drives it through Options.Clock.
	now func() time.Time
}

// service is one Windows service. gen counts state changes so that a pending transition
// scheduled before a later change does not overwrite it.
type service struct {
	name    string
	typ     resource.Type
	state   platform.ServiceState
	onStart string
	// pending is how long start, stop and continue requests stay StartPending,
	// StopPending and ContinuePending before they settle.
	pending time.Duration
	gen     uint64
	timer   *time.Timer
}

// site is one IIS site. A site serving several types (http and ftp bindings) has one
// state per type, as IIS does: WAS owns the W3 state and the FTP service the FTP state.
// live holds each type's listeners while that type is Started.
type site struct {
	name      string
	id        int64
	bindings  []resource.Binding
	types     []resource.Type
	states    map[resource.Type]platform.SiteState
	live      map[resource.Type]*liveSite
	autoStart bool
	onStart   string
	onStop    string
	respond   string
	lastErr   string
	// pools are the application pools of the site's applications, the root
	// application's first, each once; only W3 sites have them.
	pools []string
}

func newHost(name string, pending time.Duration, n *network) *host {
	h := &host{name: name, net: n, now: time.Now}
	for _, t := range resource.Types {
		h.services = append(h.services, &service{name: t.ServiceName(), typ: t, state: platform.Running, onStart: "ok", pending: pending})
	}
	return h
}

// newSite builds a Stopped site; the types come from the bindings, foreign protocols
// having been dropped by the caller, by the Windows host's rule (iisconfig.TypesOf): a
// site with no binding is a W3 site.
func newSite(name string, id int64, bindings []resource.Binding, autoStart bool) *site {
	s := &site{name: name, id: id, bindings: bindings, autoStart: autoStart,
		states: map[resource.Type]platform.SiteState{}, live: map[resource.Type]*liveSite{},
		onStart: "ok", onStop: "ok", respond: respondOK}
	protocols := make([]string, len(bindings))
	for i, b := range bindings {
		protocols[i] = b.Protocol
	}
	s.types = iisconfig.TypesOf(protocols)
	for _, t := range s.types {
		s.states[t] = platform.SiteStopped
	}
	return s
}

// bindingsOf returns the site's bindings that type t serves.
func (s *site) bindingsOf(t resource.Type) []resource.Binding {
	var out []resource.Binding
	for _, b := range s.bindings {
		if bt, ok := resource.TypeOfProtocol(b.Protocol); ok && bt == t {
			out = append(out, b)
		}
	}
	return out
}

// stateOf is the site's state for type t; a type the site does not serve reads Stopped.
func (s *site) stateOf(t resource.Type) platform.SiteState {
	if st, ok := s.states[t]; ok {
		return st
	}
	return platform.SiteStopped
}

// primary is the type whose state the whole status shows as the site's state: W3 when it
// has it (CLI.md), else its first type.
func (s *site) primary() resource.Type {
	if len(s.types) == 0 {
		return 0
	}
	return s.types[0] // sorted: W3 < FTP < SMTP
}

// serviceNamed finds a service by name; Windows compares service names without case.
func (h *host) serviceNamed(name string) (*service, error) {
	for _, s := range h.services {
		if strings.EqualFold(s.name, strings.TrimSpace(name)) {
			return s, nil
		}
	}
	return nil, noService(name)
}

func (h *host) serviceOf(t resource.Type) *service {
	for _, s := range h.services {
		if s.typ == t {
			return s
		}
	}
	return nil
}

// siteNamed finds a site as IIS does: an exact match first, then one differing in case.
func (h *host) siteNamed(name string) (*site, error) {
	for _, s := range h.sites {
		if s.name == name {
			return s, nil
		}
	}
	for _, s := range h.sites {
		if strings.EqualFold(s.name, name) {
			return s, nil
		}
	}
	return nil, noSite(name)
}

func (s *site) serves(t resource.Type) bool { return slices.Contains(s.types, t) }

// sortedSites orders sites by their first type, then id, then name, for stable listings.
func (h *host) sortedSites() []*site {
	out := slices.Clone(h.sites)
	slices.SortStableFunc(out, func(a, b *site) int {
		var ta, tb resource.Type
		if len(a.types) > 0 {
			ta = a.types[0]
		}
		if len(b.types) > 0 {
			tb = b.types[0]
		}
		return cmp.Or(cmp.Compare(ta, tb), cmp.Compare(a.id, b.id), strings.Compare(a.name, b.name))
	})
	return out
}

// wire is the site as the whole status shows it: the primary type's state, and each
// type's state when it has several.
func (s *site) wire() labapi.Site {
	w := s.wireFor(s.primary())
	if len(s.types) > 1 {
		w.States = make(map[resource.Type]platform.SiteState, len(s.types))
		for _, t := range s.types {
			w.States[t] = s.stateOf(t)
		}
	}
	return w
}

// wireFor is the site as the listing of type t shows it: that type's state.
func (s *site) wireFor(t resource.Type) labapi.Site {
	w := labapi.Site{Name: s.name, ID: s.id, State: s.stateOf(t), AutoStart: s.autoStart,
		OnStart: s.onStart, OnStop: s.onStop, Respond: s.respond, LastError: s.lastErr,
		Types: make([]string, 0, len(s.types)), Bindings: make([]string, 0, len(s.bindings)), Pools: slices.Clone(s.pools)}
	for _, t := range s.types {
		w.Types = append(w.Types, t.String())
	}
	for _, b := range s.bindings {
		w.Bindings = append(w.Bindings, b.String())
	}
	return w
}

func (svc *service) wire() labapi.Service {
	return labapi.Service{Name: svc.name, Type: svc.typ.String(), State: svc.state, OnStart: svc.onStart, Pending: svc.pending}
}

// status returns the whole host.
func (h *host) status() labapi.Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	st := labapi.Status{Hostname: h.name, Services: []labapi.Service{}, Sites: make([]labapi.Site, 0, len(h.sites))}
	for _, s := range h.services {
		st.Services = append(st.Services, s.wire())
	}
	for _, s := range h.sortedSites() {
		st.Sites = append(st.Sites, s.wire())
	}
	st.Pools = make([]labapi.Pool, 0, len(h.pools))
	for _, p := range h.pools {
		st.Pools = append(st.Pools, h.poolWire(p))
	}
	return st
}

// serviceStatus returns one service.
func (h *host) serviceStatus(name string) (labapi.Service, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	svc, err := h.serviceNamed(name)
	if err != nil {
		return labapi.Service{}, err
	}
	return svc.wire(), nil
}

// sitesOf returns the sites serving type t, each with its state for t.
func (h *host) sitesOf(t resource.Type) ([]labapi.Site, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.failListings != 0 {
		if h.failListings > 0 {
			h.failListings--
		}
		return nil, errors.New("listing the sites failed: ERROR ( message:the configuration system could not be read (lab fault: `lab listings fail`) )")
	}
	out := []labapi.Site{}
	for _, s := range h.sortedSites() {
		if s.serves(t) {
			out = append(out, s.wireFor(t))
		}
	}
	return out, nil
}

// setListings runs `lab listings fail [N]` and `lab listings ok`.
func (h *host) setListings(q labapi.ListingsRequest) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case q.Mode == "ok" && q.Count == 0:
		h.failListings = 0
		return "site listings answer again", nil
	case q.Mode == "fail" && q.Count > 0:
		h.failListings = q.Count
		return fmt.Sprintf("the next %d site listing(s) fail", q.Count), nil
	case q.Mode == "fail" && q.Count == 0:
		h.failListings = -1
		return "every site listing fails until `lab listings ok`", nil
	}
	return "", invalidf("listings: want mode fail (count >= 0) or ok, got %q %d", q.Mode, q.Count)
}

// close stops every pending transition and every listener; the host refuses changes after.
func (h *host) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	for _, s := range h.services {
		s.gen++
		if s.timer != nil {
			s.timer.Stop()
		}
	}
	for _, s := range h.sites {
		h.closeSite(s)
	}
}

func checkMode(what, mode string, modes []string) (string, error) {
	m := strings.ToLower(strings.TrimSpace(mode))
	if !slices.Contains(modes, m) {
		return "", invalidf("unknown %s mode %q (want %s)", what, mode, strings.Join(modes, ", "))
	}
	return m, nil
}
