package lab

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// addSite creates a site, as `appcmd add site` does: it starts at once when its service is
// Running, unless it is added stopped (then it does not auto-start either). A site whose
// binding is taken is still added, Stopped, as IIS does.
func (h *host) addSite(req labapi.SiteRequest) (string, error) {
	if req.Name == "" {
		return "", invalidf("empty site name")
	}
	t, err := resource.ParseType(req.Type)
	if err != nil {
		return "", invalidf("site %q: %v", req.Name, err)
	}
	if len(req.Bindings) == 0 {
		return "", invalidf("site %q: at least one --binding is required", req.Name)
	}
	var bindings []resource.Binding
	for _, text := range req.Bindings {
		b, err := resource.ParseBinding(text)
		if err != nil {
			return "", invalidf("site %q: %v", req.Name, err)
		}
		// A web site may also publish FTP (IIS 7's "Add FTP Publishing" adds an ftp binding
		// to it), which makes a site with both a W3 and an FTP state.
		if bt, _ := resource.TypeOfProtocol(b.Protocol); bt != t && (t != resource.W3 || bt != resource.FTP) {
			return "", invalidf("site %q: binding %s belongs to %s, not to --type %s", req.Name, b, bt, t)
		}
		if err := checkLoopback(b); err != nil {
			return "", invalidf("site %q: %v", req.Name, err)
		}
		bindings = append(bindings, b)
	}
	if req.ID < 0 {
		return "", invalidf("site %q: id %d is not a positive number", req.Name, req.ID)
	}
	if req.Pool != "" && t != resource.W3 {
		return "", invalidf("site %q: only W3 sites have application pools, not %s", req.Name, t)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return "", conflictf("the lab host is shutting down")
	}
	if old, err := h.siteNamed(req.Name); err == nil {
		return "", invalidf("a site named %q already exists (IIS site names are unique regardless of case)", old.name)
	}
	// A site's id is unique among the sites of each type it serves (IIS 6 numbered each
	// service's sites apart; a web site that also publishes FTP holds its id in both).
	s := newSite(req.Name, req.ID, bindings, !req.Stopped)
	if s.id == 0 {
		for _, st := range s.types {
			s.id = max(s.id, h.nextID(st))
		}
	}
	for _, st := range s.types {
		if o := h.siteWithID(st, s.id); o != nil {
			return "", invalidf("site %q: id %d is already used by %s site %q", req.Name, s.id, st, o.name)
		}
	}
	id := s.id
	if t == resource.W3 {
		// An explicit pool must exist. Without one the root application runs in
		// DefaultAppPool, where the host has it; a host loaded without it (an IIS Express
		// file) gives the site no pool, so nothing stops it serving.
		if req.Pool != "" {
			p, err := h.poolNamed(req.Pool)
			if err != nil {
				return "", invalidf("site %q: %v (add it with lab pool NAME add)", req.Name, err)
			}
			s.pools = []string{p.name}
		} else if p, err := h.poolNamed(defaultPoolName); err == nil {
			s.pools = []string{p.name}
		}
	}
	h.sites = append(h.sites, s)
	msg := fmt.Sprintf("site %q added (%s, id %d, %s%s)", s.name, t, id, strings.Join(s.wire().Bindings, " "), poolNote(s))
	if req.Stopped {
		return msg + ", Stopped", nil
	}
	var states []string
	for _, st := range s.types {
		state := "Started"
		if err := h.serviceRunning(s, st); err != nil {
			state = fmt.Sprintf("Stopped until %s runs", h.serviceOf(st).name)
		} else if err := h.openType(s, st); err != nil {
			state = "Stopped: " + err.Error()
		}
		if len(s.types) > 1 {
			state = st.String() + " " + state
		}
		states = append(states, state)
	}
	return msg + ", " + strings.Join(states, "; "), nil
}

// nextID is the next free id of service type t.
func (h *host) nextID(t resource.Type) int64 {
	var max int64
	for _, s := range h.sites {
		if s.serves(t) && s.id > max {
			max = s.id
		}
	}
	return max + 1
}

func (h *host) siteWithID(t resource.Type, id int64) *site {
	for _, s := range h.sites {
		if s.serves(t) && s.id == id {
			return s
		}
	}
	return nil
}

// deleteSite stops and removes a site.
func (h *host) deleteSite(name string) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s, err := h.siteNamed(name)
	if err != nil {
		return "", err
	}
	h.closeSite(s)
	h.sites = slices.DeleteFunc(h.sites, func(o *site) bool { return o == s })
	return fmt.Sprintf("site %q deleted", s.name), nil
}

// setSiteState forces a site into one of IIS's five states regardless of its on-start and
// on-stop modes: the administrator, not a request. Only Started has listeners, and it
// still needs the type's service Running and its bindings free. typ names the type whose
// state changes for a site of several types; empty means each of the site's types.
func (h *host) setSiteState(name, state, typ string) (string, error) {
	st, err := platform.ParseSiteState(state)
	if err != nil {
		return "", invalidf("unknown site state %q (want Started, Starting, Stopped, Stopping or Unknown)", state)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return "", conflictf("the lab host is shutting down")
	}
	s, err := h.siteNamed(name)
	if err != nil {
		return "", err
	}
	types := s.types
	if typ != "" {
		_, t, err := h.siteForRequest(name, typ)
		if err != nil {
			return "", err
		}
		types = []resource.Type{t}
	}
	if len(types) == 0 {
		return "", conflictf("site %q has no http, https, ftp or smtp binding, so no service keeps its state", s.name)
	}
	for _, t := range types {
		if st != platform.SiteStarted {
			h.closeType(s, t, st)
			continue
		}
		if s.stateOf(t) == platform.SiteStarted {
			continue
		}
		if err := h.serviceRunning(s, t); err != nil {
			return "", err
		}
		if err := h.openType(s, t); err != nil {
			return "", conflictf("cannot start site %q: %v", s.name, err)
		}
	}
	return fmt.Sprintf("site %q is now %s%s", s.name, st, typesNote(s, types)), nil
}

// typesNote names the types a change applied to, for a site of several types.
func typesNote(s *site, types []resource.Type) string {
	if len(s.types) < 2 {
		return ""
	}
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = t.String()
	}
	return " (" + strings.Join(names, ", ") + ")"
}

// siteForRequest finds a site of service type t for a start or stop request.
func (h *host) siteForRequest(name, typ string) (*site, resource.Type, error) {
	t, err := resource.ParseType(typ)
	if err != nil {
		return nil, 0, invalidf("%v", err)
	}
	s, err := h.siteNamed(name)
	if err != nil {
		return nil, 0, err
	}
	if !s.serves(t) {
		return nil, 0, &refusal{kind: errNoSite, msg: fmt.Sprintf("site %q has no %s binding, so it does not exist for %s", s.name, t, t.ServiceName())}
	}
	return s, t, nil
}

// startSite is a start request (appcmd start site) for type t: it needs that type's
// service Running, and a site set to on-start ignore accepts it and stays as it is.
func (h *host) startSite(name, typ string) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return "", conflictf("the lab host is shutting down")
	}
	s, t, err := h.siteForRequest(name, typ)
	if err != nil {
		return "", err
	}
	if s.stateOf(t) == platform.SiteStarted {
		return fmt.Sprintf("site %q is already Started%s", s.name, typesNote(s, []resource.Type{t})), nil
	}
	if err := h.serviceRunning(s, t); err != nil {
		return "", err
	}
	if s.onStart == "ignore" {
		return fmt.Sprintf("site %q: start request accepted and ignored (on-start ignore)", s.name), nil
	}
	if err := h.openType(s, t); err != nil {
		return "", conflictf("cannot start site %q: %v", s.name, err)
	}
	return fmt.Sprintf("site %q started%s", s.name, typesNote(s, []resource.Type{t})), nil
}

// stopSite is a stop request (appcmd stop site) for type t. It leaves serverAutoStart
// alone, so the site comes back when its service starts again, as in IIS.
func (h *host) stopSite(name, typ string) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s, t, err := h.siteForRequest(name, typ)
	if err != nil {
		return "", err
	}
	if s.stateOf(t) == platform.SiteStopped {
		return fmt.Sprintf("site %q is already Stopped%s", s.name, typesNote(s, []resource.Type{t})), nil
	}
	if s.onStop == "ignore" {
		return fmt.Sprintf("site %q: stop request accepted and ignored (on-stop ignore)", s.name), nil
	}
	h.closeType(s, t, platform.SiteStopped)
	return fmt.Sprintf("site %q stopped%s", s.name, typesNote(s, []resource.Type{t})), nil
}

// setSiteMode sets on-start, on-stop or respond.
func (h *host) setSiteMode(name, what, mode string) (string, error) {
	modes := map[string][]string{"on-start": siteOnStartModes, "on-stop": siteOnStopModes, "respond": respondModes}[what]
	m, err := checkMode(what, mode, modes)
	if err != nil {
		return "", err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	s, err := h.siteNamed(name)
	if err != nil {
		return "", err
	}
	switch what {
	case "on-start":
		s.onStart = m
	case "on-stop":
		s.onStop = m
	case "respond":
		s.respond = m
		for _, t := range s.types {
			if ls := s.live[t]; ls != nil {
				if err := h.net.setRespond(ls, m); err != nil {
					return "", conflictf("site %q respond %s: %v", s.name, m, err)
				}
			}
		}
	}
	return fmt.Sprintf("site %q %s %s", s.name, what, m), nil
}

// serviceRunning refuses to start type t of a site unless that type's service is Running.
func (h *host) serviceRunning(s *site, t resource.Type) error {
	if svc := h.serviceOf(t); svc.state != platform.Running {
		return conflictf("cannot start site %q: service %s is %s, not Running", s.name, svc.name, labapi.ServiceStateWord(svc.state))
	}
	return nil
}

// openAuto starts each type of a site whose service is Running, as a service reaching
// Running does for its auto-start sites; it returns the first failure. h.mu is held.
func (h *host) openAuto(s *site) error {
	var first error
	for _, t := range s.types {
		if s.stateOf(t) == platform.SiteStarted || h.serviceRunning(s, t) != nil {
			continue
		}
		if err := h.openType(s, t); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// openType opens the listeners of a site's bindings of type t and marks that type
// Started; on failure it stays Stopped and the site remembers why. h.mu is held.
func (h *host) openType(s *site, t resource.Type) error {
	live, err := h.net.attach(h.name, s.name, s.id, s.bindingsOf(t), s.respond)
	if err != nil {
		s.lastErr = err.Error()
		s.states[t] = platform.SiteStopped
		return err
	}
	s.live[t], s.lastErr, s.states[t] = live, "", platform.SiteStarted
	if t == resource.W3 {
		live.poolDown.Store(h.rootPoolDown(s))
	}
	return nil
}

// closeType closes the listeners of type t and puts that type in state st (any state
// but Started). h.mu is held.
func (h *host) closeType(s *site, t resource.Type, st platform.SiteState) {
	if ls := s.live[t]; ls != nil {
		h.net.detach(ls)
		delete(s.live, t)
	}
	if s.serves(t) {
		s.states[t] = st
	}
}

// closeSite stops every type of a site. h.mu is held.
func (h *host) closeSite(s *site) {
	for _, t := range s.types {
		h.closeType(s, t, platform.SiteStopped)
	}
}

// poolNote names a W3 site's root pool in the add message.
func poolNote(s *site) string {
	if len(s.pools) == 0 {
		return ""
	}
	return fmt.Sprintf(", application pool %q", s.pools[0])
}
