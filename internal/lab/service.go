package lab

import (
	"fmt"
	"time"

	"github.com/iiskit/iiskit/internal/platform"
)

// setServiceState forces a service into a state, as an administrator breaking the host
// would. Stopped and StopPending stop the service's sites; Running starts its auto-start
// sites, as reaching Running does.
func (h *host) setServiceState(name, state string) (string, error) {
	st, err := platform.ParseServiceState(state)
	if err != nil {
		return "", invalidf("%v", err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return "", conflictf("the lab host is shutting down")
	}
	svc, err := h.serviceNamed(name)
	if err != nil {
		return "", err
	}
	h.enterState(svc, st)
	return fmt.Sprintf("service %s is now %s", svc.name, st.Word()), nil
}

// setServiceOnStart sets what a later start request does.
func (h *host) setServiceOnStart(name, mode string) (string, error) {
	m, err := checkMode("on-start", mode, serviceOnStartModes)
	if err != nil {
		return "", err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	svc, err := h.serviceNamed(name)
	if err != nil {
		return "", err
	}
	svc.onStart = m
	return fmt.Sprintf("service %s on-start %s", svc.name, m), nil
}

// startService is a start request, like StartService in the service control manager: a
// stopped service goes StartPending and, after the pending delay, where its on-start mode
// says. A request on a service that is starting or running changes nothing.
func (h *host) startService(name string) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return "", conflictf("the lab host is shutting down")
	}
	svc, err := h.serviceNamed(name)
	if err != nil {
		return "", err
	}
	switch svc.state {
	case platform.Stopped:
	case platform.StopPending:
		// ERROR_SERVICE_CANNOT_ACCEPT_CTRL: Windows refuses a start while a stop is under way.
		return "", conflictf("service %s cannot accept a start request while it is StopPending", svc.name)
	default:
		return fmt.Sprintf("service %s is already %s; start request accepted, nothing changed", svc.name, svc.state.Word()), nil
	}
	h.enterState(svc, platform.StartPending)
	gen, mode := svc.gen, svc.onStart
	svc.timer = time.AfterFunc(h.pending, func() { h.finishStart(svc, gen, mode) })
	return fmt.Sprintf("service %s start requested (StartPending, on-start %s)", svc.name, mode), nil
}

// continueService is a continue request, like ControlService(SERVICE_CONTROL_CONTINUE): a
// Paused service resumes (Running). Windows refuses the control on a stopped service
// (ERROR_SERVICE_NOT_ACTIVE); on a running one it changes nothing.
func (h *host) continueService(name string) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return "", conflictf("the lab host is shutting down")
	}
	svc, err := h.serviceNamed(name)
	if err != nil {
		return "", err
	}
	switch svc.state {
	case platform.Paused, platform.ContinuePending:
		h.enterState(svc, platform.Running)
		return fmt.Sprintf("service %s continued (Running)", svc.name), nil
	case platform.Running:
		return fmt.Sprintf("service %s is already Running; continue request accepted, nothing changed", svc.name), nil
	}
	return "", conflictf("service %s cannot accept a continue request while it is %s", svc.name, svc.state.Word())
}

// finishStart ends a pending start unless the service changed state meanwhile.
func (h *host) finishStart(svc *service, gen uint64, mode string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed || svc.gen != gen || svc.state != platform.StartPending {
		return
	}
	switch mode {
	case "ok":
		h.enterState(svc, platform.Running)
	case "fail":
		h.enterState(svc, platform.Stopped)
	}
	// hang: the service stays StartPending until someone sets its state.
}

// enterState moves svc to st and applies what the move means for its sites. h.mu is held.
func (h *host) enterState(svc *service, st platform.ServiceState) {
	svc.gen++
	if svc.timer != nil {
		svc.timer.Stop()
		svc.timer = nil
	}
	svc.state = st
	switch st {
	case platform.Stopped, platform.StopPending:
		for _, s := range h.sites {
			if s.serves(svc.typ) {
				h.closeSite(s)
			}
		}
	case platform.Running:
		for _, s := range h.sites {
			// A site whose start fails stays Stopped with lastErr set, as IIS leaves a
			// site whose binding is taken.
			if s.serves(svc.typ) && s.autoStart && s.state != platform.SiteStarted && h.servicesRunning(s) == nil {
				_ = h.openSite(s)
			}
		}
	}
}

// servicesRunning reports which of a site's services is not Running, if any.
func (h *host) servicesRunning(s *site) error {
	if len(s.types) == 0 {
		return conflictf("site %q has no http, https, ftp or smtp binding, so no service can run it", s.name)
	}
	for _, t := range s.types {
		if svc := h.serviceOf(t); svc.state != platform.Running {
			return conflictf("cannot start site %q: service %s is %s, not Running", s.name, svc.name, svc.state.Word())
		}
	}
	return nil
}
