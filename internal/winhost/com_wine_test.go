//go:build windows

package winhost

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	ole "github.com/go-ole/go-ole"
	"golang.org/x/sys/windows/registry"
	"golang.org/x/sys/windows/svc"

	"github.com/iiskit/iiskit/internal/platform"
)

// TestVariantConversions: integers arrive in whatever width the provider chose (real
// AHADMIN gives VT_UI4 for an enum, JScript VT_I4 or VT_R8), strings as VT_BSTR or empty.
func TestVariantConversions(t *testing.T) {
	for _, v := range []*ole.VARIANT{
		ptr(ole.NewVariant(ole.VT_I1, 3)), ptr(ole.NewVariant(ole.VT_I2, 3)), ptr(ole.NewVariant(ole.VT_I4, 3)),
		ptr(ole.NewVariant(ole.VT_I8, 3)), ptr(ole.NewVariant(ole.VT_UI1, 3)), ptr(ole.NewVariant(ole.VT_UI2, 3)),
		ptr(ole.NewVariant(ole.VT_UI4, 3)), ptr(ole.NewVariant(ole.VT_UI8, 3)), ptr(ole.NewVariant(ole.VT_INT, 3)),
		ptr(ole.NewVariant(ole.VT_UINT, 3)),
	} {
		if n, err := toInt(v); err != nil || n != 3 {
			t.Errorf("variant type %d: %d %v, want 3", v.VT, n, err)
		}
	}
	if _, err := toInt(ptr(ole.NewVariant(ole.VT_EMPTY, 0))); err == nil {
		t.Error("an empty variant read as an integer")
	}
	if s, err := toString(ptr(ole.NewVariant(ole.VT_EMPTY, 0))); err != nil || s != "" {
		t.Errorf("empty: %q %v", s, err)
	}
	if _, err := toString(ptr(ole.NewVariant(ole.VT_I4, 1))); err == nil {
		t.Error("an integer read as a string")
	}
	if _, err := asObject(ptr(ole.NewVariant(ole.VT_I4, 1)), "x", nil); err == nil {
		t.Error("an integer taken for an object")
	}
	if hr, ok := hresult(ole.NewError(hrAccessDenied)); !ok || hr != hrAccessDenied {
		t.Errorf("plain OleError: %#x %v", hr, ok)
	}
	if _, ok := hresult(errors.New("not COM")); ok {
		t.Error("a non-COM error has an HRESULT")
	}
	if got := comError(ole.NewError(hrAccessDenied)).Error(); got != "HRESULT 0x80070005" {
		t.Errorf("comError: %q", got)
	}
}

func ptr(v ole.VARIANT) *ole.VARIANT { return &v }

// TestCOMRunnerPanics: a panic inside a COM request is an error, not a crash.
func TestCOMRunnerPanics(t *testing.T) {
	r := &comRunner{}
	err := r.run(context.Background(), "test", func(*comSession) error { panic("boom") })
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("got %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.run(ctx, "test", func(*comSession) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled context: %v", err)
	}
}

// TestObjectsOfArrays reads arrays as the WMI provider hands them over: a non-array is an
// error, and so is an array element that is not an object.
func TestObjectsOfArrays(t *testing.T) {
	c := &comSession{}
	defer c.release()
	if _, err := c.objects(ptr(ole.NewVariant(ole.VT_I4, 1))); err == nil {
		t.Error("a non-array variant gave objects")
	}
}

// TestFindAppcmd: %windir%\System32\inetsrv first, then InetStp's InstallPath; neither is
// a prerequisite error saying what to install.
func TestFindAppcmd(t *testing.T) {
	needWine(t)
	real := filepath.Join(standIn(t), "appcmd.exe")
	if p, err := findAppcmd(); err != nil || !strings.EqualFold(p, real) {
		t.Fatalf("findAppcmd() = %q %v, want %s", p, err, real)
	}
	if err := os.Rename(real, real+".moved"); err != nil {
		t.Fatal(err)
	}
	defer os.Rename(real+".moved", real)
	_ = registry.DeleteKey(registry.LOCAL_MACHINE, inetStpKey)
	if _, err := findAppcmd(); !errors.Is(err, platform.ErrPrerequisite) || !strings.Contains(err.Error(), "IIS is not installed") {
		t.Errorf("no appcmd, no InetStp: %v", err)
	}
	// Not t.TempDir: Go's removal of it fails under Wine 8 ("Invalid function").
	dir := `C:\iiskit\inetstp-test`
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(filepath.Join(dir, "appcmd.exe"))
	k, _, err := registry.CreateKey(registry.LOCAL_MACHINE, inetStpKey, registry.SET_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	defer registry.DeleteKey(registry.LOCAL_MACHINE, inetStpKey)
	if err := k.SetExpandStringValue("InstallPath", dir); err != nil {
		t.Fatal(err)
	}
	k.Close()
	if _, err := findAppcmd(); !errors.Is(err, platform.ErrPrerequisite) || !strings.Contains(err.Error(), "Management Scripts and Tools") {
		t.Errorf("InetStp without appcmd: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "appcmd.exe"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if p, err := findAppcmd(); err != nil || !strings.EqualFold(p, filepath.Join(dir, "appcmd.exe")) {
		t.Errorf("via InetStp: %q %v", p, err)
	}
}

// TestServiceRequestsOnStates: a continue request to a running service and a stop
// request to a stopped one are not errors; to a missing service they are.
func TestServiceRequestsOnStates(t *testing.T) {
	needWine(t)
	h, _, _ := newHost(t, Options{})
	setService(t, "SMTPSVC", svc.Running)
	if err := h.ContinueService(context.Background(), "SMTPSVC"); err != nil {
		t.Errorf("continue a running service: %v", err)
	}
	setService(t, "SMTPSVC", svc.Stopped)
	defer setService(t, "SMTPSVC", svc.Running)
	if err := h.scm.stop("SMTPSVC"); err != nil {
		t.Errorf("stop a stopped service: %v", err)
	}
	if err := h.scm.stop("NOSUCHSVC"); !errors.Is(err, platform.ErrNoService) {
		t.Errorf("stop a missing service: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, err := range []error{
		h.StartService(ctx, "SMTPSVC"), h.ContinueService(ctx, "SMTPSVC"),
		func() error { _, err := h.ServiceState(ctx, "SMTPSVC"); return err }(),
		func() error { _, err := h.ServiceName(ctx, 1); return err }(),
	} {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("with a cancelled context: %v", err)
		}
	}
}
