package platform

import "context"

// ServiceState is a Windows service's dwCurrentState. The values equal SERVICE_STOPPED ..
// SERVICE_PAUSED (and golang.org/x/sys/windows/svc.State), so a ServiceState is the
// catalogue's $SVCSTATECODE. It is declared here because x/sys/windows/svc builds only on
// Windows.
type ServiceState uint32

// The seven service states.
const (
	Stopped         ServiceState = 1
	StartPending    ServiceState = 2
	StopPending     ServiceState = 3
	Running         ServiceState = 4
	ContinuePending ServiceState = 5
	PausePending    ServiceState = 6
	Paused          ServiceState = 7
)

var serviceStateNames = [...]string{"", "STOPPED", "START_PENDING", "STOP_PENDING", "RUNNING", "CONTINUE_PENDING", "PAUSE_PENDING", "PAUSED"}

// String returns the catalogue's $SVCSTATEDESC: STOPPED, START_PENDING, ...; UNKNOWN for
// a state that could not be read (0).
func (s ServiceState) String() string {
	if s >= Stopped && s <= Paused {
		return serviceStateNames[s]
	}
	return "UNKNOWN"
}

// Services is the part of the service control manager that iiskit uses.
type Services interface {
	// ServiceState queries the service's current state once. A service that is not
	// installed gives an error wrapping ErrNoService.
	ServiceState(ctx context.Context, name string) (ServiceState, error)
	// StartService asks for a start, like mgr.Service.Start; it does not wait. A start
	// request on a service that is already starting or running is not an error.
	StartService(ctx context.Context, name string) error
	// ContinueService asks a Paused service to resume, like mgr.Service.Control with
	// svc.Continue; it does not wait. A start request cannot resume a paused service.
	ContinueService(ctx context.Context, name string) error
}
