package lab

import (
	"fmt"
	"time"

	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/platform"
)

// maxPending bounds a service's pending delay: long enough for any test of a slow
// service, short enough that a typo does not leave a service pending for days.
const maxPending = time.Hour

// setServiceState forces a service into a state, as an administrator breaking the host
// would. Stopped and StopPending stop the service's sites; Running starts its auto-start
// sites, as reaching Running does.
func (h *host) setServiceState(name, state string) (string, error) {
	st, err := labapi.ParseServiceState(state)
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
	return fmt.Sprintf("service %s is now %s", svc.name, labapi.ServiceStateWord(st)), nil
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

// setServicePending sets how long later start, stop and continue requests stay pending.
// A transition already under way keeps its own delay.
func (h *host) setServicePending(name, pending string) (string, error) {
	d, err := time.ParseDuration(pending)
	if err != nil || d < 0 || d > maxPending {
		return "", invalidf("pending %q: want a duration from 0s to %v, e.g. 2s or 500ms", pending, maxPending)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	svc, err := h.serviceNamed(name)
	if err != nil {
		return "", err
	}
	svc.pending = d
	return fmt.Sprintf("service %s pending %v", svc.name, d), nil
}

// startService is a start request, like StartService in the service control manager: a
// stopped service goes StartPending and, after its pending delay, where its on-start mode
// says. A request on a service that is starting or running changes nothing.
func (h *host) startService(name string) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	svc, err := h.liveService(name)
	if err != nil {
		return "", err
	}
	switch svc.state {
	case platform.Stopped:
	case platform.StopPending:
		// ERROR_SERVICE_CANNOT_ACCEPT_CTRL: Windows refuses a start while a stop is under way.
		return "", conflictf("service %s cannot accept a start request while it is StopPending", svc.name)
	default:
		return fmt.Sprintf("service %s is already %s; start request accepted, nothing changed", svc.name, labapi.ServiceStateWord(svc.state)), nil
	}
	mode := svc.onStart
	h.transition(svc, platform.StartPending, func() {
		switch mode {
		case "ok":
			h.enterState(svc, platform.Running)
		case "fail":
			h.enterState(svc, platform.Stopped)
		}
		// hang: the service stays StartPending until someone sets its state.
	})
	return fmt.Sprintf("service %s start requested (on-start %s); now %s", svc.name, mode, labapi.ServiceStateWord(svc.state)), nil
}

// stopService is a stop request, like ControlService(SERVICE_CONTROL_STOP): the service
// goes StopPending at once (its sites stop) and Stopped after its pending delay. Windows
// refuses the control while a start is pending (ERROR_SERVICE_CANNOT_ACCEPT_CTRL).
func (h *host) stopService(name string) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	svc, err := h.liveService(name)
	if err != nil {
		return "", err
	}
	switch svc.state {
	case platform.Stopped, platform.StopPending:
		return fmt.Sprintf("service %s is already %s; stop request accepted, nothing changed", svc.name, labapi.ServiceStateWord(svc.state)), nil
	case platform.StartPending:
		return "", conflictf("service %s cannot accept a stop request while it is StartPending", svc.name)
	}
	h.transition(svc, platform.StopPending, func() { h.enterState(svc, platform.Stopped) })
	return fmt.Sprintf("service %s stop requested; now %s", svc.name, labapi.ServiceStateWord(svc.state)), nil
}

// continueService is a continue request, like ControlService(SERVICE_CONTROL_CONTINUE): a
// Paused service goes ContinuePending and Running after its pending delay. Windows refuses
// the control on a service that is not paused or running (ERROR_SERVICE_NOT_ACTIVE,
// ERROR_SERVICE_CANNOT_ACCEPT_CTRL); on a running or resuming one it changes nothing.
func (h *host) continueService(name string) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	svc, err := h.liveService(name)
	if err != nil {
		return "", err
	}
	switch svc.state {
	case platform.Paused:
		h.transition(svc, platform.ContinuePending, func() { h.enterState(svc, platform.Running) })
		return fmt.Sprintf("service %s continue requested; now %s", svc.name, labapi.ServiceStateWord(svc.state)), nil
	case platform.Running, platform.ContinuePending:
		return fmt.Sprintf("service %s is already %s; continue request accepted, nothing changed", svc.name, labapi.ServiceStateWord(svc.state)), nil
	}
	return "", conflictf("service %s cannot accept a continue request while it is %s", svc.name, labapi.ServiceStateWord(svc.state))
}

// liveService finds a service for a request that changes it. h.mu is held.
func (h *host) liveService(name string) (*service, error) {
	if h.closed {
		return nil, conflictf("the lab host is shutting down")
	}
	return h.serviceNamed(name)
}

// transition puts svc in the pending state st and settles it with settle after the
// service's pending delay: at once when the delay is 0, else from a timer, unless the
// service changed state meanwhile. h.mu is held.
func (h *host) transition(svc *service, st platform.ServiceState, settle func()) {
	h.enterState(svc, st)
	if svc.pending <= 0 {
		settle()
		return
	}
	gen := svc.gen
	svc.timer = time.AfterFunc(svc.pending, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if !h.closed && svc.gen == gen {
			settle()
		}
	})
}

// enterState moves svc to st and applies what the move means for its sites: stopping
// stops them, and starting (not resuming from a pause, which never stopped them) starts
// the auto-start ones. h.mu is held.
func (h *host) enterState(svc *service, st platform.ServiceState) {
	svc.gen++
	if svc.timer != nil {
		svc.timer.Stop()
		svc.timer = nil
	}
	prev := svc.state
	svc.state = st
	if st == platform.Running && (prev == platform.Paused || prev == platform.ContinuePending || prev == platform.PausePending) {
		return
	}
	switch st {
	case platform.Stopped, platform.StopPending:
		for _, s := range h.sites {
			if s.serves(svc.typ) {
				h.closeType(s, svc.typ, platform.SiteStopped)
			}
		}
	case platform.Running:
		for _, s := range h.sites {
			// A site whose start fails stays Stopped with lastErr set, as IIS leaves a
			// site whose binding is taken.
			if s.serves(svc.typ) && s.autoStart && s.stateOf(svc.typ) != platform.SiteStarted {
				_ = h.openType(s, svc.typ)
			}
		}
	}
}
