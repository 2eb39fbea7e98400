//go:build windows

package winhost

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/sys/windows"

	"github.com/iiskit/iiskit/internal/platform"
)

// scm talks to the service control manager with the least access each request needs:
// queries connect with SC_MANAGER_CONNECT and open with SERVICE_QUERY_STATUS, so they
// work without elevation; x/sys's mgr.Connect/OpenService ask for ALL_ACCESS, which
// would make every quickcheck need an administrator.
type scm struct{}

// open opens service name with access and returns a closer for both handles.
func (scm) open(name string, access uint32) (windows.Handle, func(), error) {
	m, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CONNECT)
	if err != nil {
		return 0, nil, fmt.Errorf("connect to the service control manager: %w", mapServiceErr(err))
	}
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		windows.CloseServiceHandle(m)
		return 0, nil, fmt.Errorf("service name %q: %w", name, err)
	}
	s, err := windows.OpenService(m, p, access)
	if err != nil {
		windows.CloseServiceHandle(m)
		return 0, nil, fmt.Errorf("open service %s: %w", name, mapServiceErr(err))
	}
	return s, func() { windows.CloseServiceHandle(s); windows.CloseServiceHandle(m) }, nil
}

// state queries the service's dwCurrentState once.
func (c scm) state(name string) (platform.ServiceState, error) {
	h, done, err := c.open(name, windows.SERVICE_QUERY_STATUS)
	if err != nil {
		return 0, err
	}
	defer done()
	var st windows.SERVICE_STATUS
	if err := windows.QueryServiceStatus(h, &st); err != nil {
		return 0, fmt.Errorf("query service %s: %w", name, mapServiceErr(err))
	}
	return platform.ServiceState(st.CurrentState), nil
}

// start sends one start request. A service that is already starting or running answers
// ERROR_SERVICE_ALREADY_RUNNING, which is not an error: waiting is the actions' policy.
func (c scm) start(name string) error {
	h, done, err := c.open(name, windows.SERVICE_START|windows.SERVICE_QUERY_STATUS)
	if err != nil {
		return refusedStart(err)
	}
	defer done()
	if err := windows.StartService(h, 0, nil); err != nil && !errors.Is(err, windows.ERROR_SERVICE_ALREADY_RUNNING) {
		return refusedStart(fmt.Errorf("start service %s: %w", name, mapServiceErr(err)))
	}
	return nil
}

// refusedStart marks the answers with which the service manager refuses a start or
// continue request outright (disabled, not installed, access denied) as
// platform.ErrStartRefused: waiting cannot change them.
func refusedStart(err error) error {
	for _, e := range []error{windows.ERROR_SERVICE_DISABLED, windows.ERROR_SERVICE_DOES_NOT_EXIST, windows.ERROR_ACCESS_DENIED} {
		if errors.Is(err, e) {
			return fmt.Errorf("%w: %w", platform.ErrStartRefused, err)
		}
	}
	return err
}

// stop sends one stop request; a service that is not running is not an error.
func (c scm) stop(name string) error {
	h, done, err := c.open(name, windows.SERVICE_STOP|windows.SERVICE_QUERY_STATUS)
	if err != nil {
		return err
	}
	defer done()
	var st windows.SERVICE_STATUS
	if err := windows.ControlService(h, windows.SERVICE_CONTROL_STOP, &st); err != nil && !errors.Is(err, windows.ERROR_SERVICE_NOT_ACTIVE) {
		return fmt.Errorf("stop service %s: %w", name, mapServiceErr(err))
	}
	return nil
}

// resume sends one continue request with only SERVICE_PAUSE_CONTINUE access. A service
// that is already running is not an error.
func (c scm) resume(name string) error {
	h, done, err := c.open(name, windows.SERVICE_PAUSE_CONTINUE|windows.SERVICE_QUERY_STATUS)
	if err != nil {
		return refusedStart(err)
	}
	defer done()
	var st windows.SERVICE_STATUS
	if err := windows.ControlService(h, windows.SERVICE_CONTROL_CONTINUE, &st); err != nil {
		// Windows fills st for the refusals of a running service's control
		// (ERROR_INVALID_SERVICE_CONTROL ...), Wine does not: ask.
		if qerr := windows.QueryServiceStatus(h, &st); qerr == nil && st.CurrentState == windows.SERVICE_RUNNING {
			return nil
		}
		return refusedStart(fmt.Errorf("continue service %s: %w", name, mapServiceErr(err)))
	}
	return nil
}

// exists reports whether service name is installed.
func (c scm) exists(name string) (bool, error) {
	_, done, err := c.open(name, windows.SERVICE_QUERY_STATUS)
	switch {
	case err == nil:
		done()
		return true, nil
	case errors.Is(err, platform.ErrNoService):
		return false, nil
	}
	return false, err
}

// mapServiceErr adds the platform's meaning to the two errors callers tell apart.
func mapServiceErr(err error) error {
	switch {
	case errors.Is(err, windows.ERROR_SERVICE_DOES_NOT_EXIST):
		return fmt.Errorf("%w: %w", platform.ErrNoService, err)
	case errors.Is(err, windows.ERROR_ACCESS_DENIED):
		return fmt.Errorf("%w: access denied (run iiskit as an administrator): %w", platform.ErrPrerequisite, err)
	}
	return err
}

// ServiceState queries service name once; see platform.Services.
func (h *Host) ServiceState(ctx context.Context, name string) (platform.ServiceState, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return h.scm.state(name)
}

// StartService sends one start request; see platform.Services.
func (h *Host) StartService(ctx context.Context, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return h.scm.start(name)
}

// ContinueService sends one continue request; see platform.Services.
func (h *Host) ContinueService(ctx context.Context, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return h.scm.resume(name)
}
