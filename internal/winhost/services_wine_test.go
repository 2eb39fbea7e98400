//go:build windows

package winhost

import (
	"context"
	"errors"
	"testing"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc"
	"golang.org/x/sys/windows/svc/mgr"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// TestServiceManagerAnswers: the service manager's refusals keep their meaning. A
// disabled service's start is refused outright (platform.ErrStartRefused: waiting cannot
// change it; SPEC's start rules give up at once); a continue to a stopped service fails
// but is not such a refusal (a start may still bring it up); a missing service is not
// installed rather than an error; a name Windows cannot carry (a NUL) and a service
// type iiskit has no backend for are errors naming them, never a panic.
func TestServiceManagerAnswers(t *testing.T) {
	needWine(t)
	h, _, _ := newHost(t, Options{})
	ctx := context.Background()

	m, err := mgr.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Disconnect()
	const disabled = "IISKitDisabledSvc"
	s, err := m.CreateService(disabled, `C:\iiskit\stubsvc.exe`, mgr.Config{StartType: windows.SERVICE_DISABLED}, "-service", disabled)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Delete(); s.Close() }()
	if err := h.StartService(ctx, disabled); !errors.Is(err, platform.ErrStartRefused) || !errors.Is(err, windows.ERROR_SERVICE_DISABLED) {
		t.Errorf("start of a disabled service: %v, want ErrStartRefused (ERROR_SERVICE_DISABLED)", err)
	}

	setService(t, "SMTPSVC", svc.Stopped)
	defer setService(t, "SMTPSVC", svc.Running)
	if err := h.ContinueService(ctx, "SMTPSVC"); err == nil || errors.Is(err, platform.ErrStartRefused) {
		t.Errorf("continue of a stopped service: %v, want an error that is not a refusal", err)
	}

	if ok, err := h.scm.exists("IISKitNoSuchSvc"); ok || err != nil {
		t.Errorf("exists of a missing service: %v %v, want false, nil", ok, err)
	}
	if _, err := h.ServiceState(ctx, "W3\x00SVC"); err == nil {
		t.Error("a service name with a NUL: nil error")
	}
	if _, err := h.ServiceName(ctx, resource.Type(99)); !errors.Is(err, platform.ErrNoService) {
		t.Errorf("ServiceName of an unknown type: %v, want ErrNoService", err)
	}
	for _, err := range []error{
		func() error { _, err := h.ListSites(ctx, resource.Type(99)); return err }(),
		h.StartSite(ctx, resource.Type(99), platform.Site{Name: "x", ID: 1}),
		h.StopSite(ctx, resource.Type(99), platform.Site{Name: "x", ID: 1}),
	} {
		if !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("an unknown type's sites: %v, want ErrUnsupported", err)
		}
	}
}
