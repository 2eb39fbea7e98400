//go:build windows

package eventlog

import (
	"errors"
	"os"
	"testing"

	"golang.org/x/sys/windows"
)

// TestInstallCycle registers, re-registers and removes the source. It changes the
// machine, so it runs only where IISKIT_WINE=1 says the machine is a throwaway Wine
// prefix (scripts/wine.sh).
func TestInstallCycle(t *testing.T) {
	if os.Getenv("IISKIT_WINE") != "1" {
		t.Skip("changes the registry: runs under scripts/wine.sh only")
	}
	for _, step := range []struct {
		name string
		do   func() error
		want string
	}{
		{"uninstall when absent", Uninstall, ""},
		{"install", func() error { return Install(`C:\iiskit\iiskit.exe`) }, `C:\iiskit\iiskit.exe`},
		{"install again, moved", func() error { return Install(`D:\tools\iiskit.exe`) }, `D:\tools\iiskit.exe`},
		{"uninstall", Uninstall, ""},
		{"uninstall again", Uninstall, ""},
	} {
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		got, err := Registered()
		if step.want == "" {
			if !errors.Is(err, windows.ERROR_FILE_NOT_FOUND) {
				t.Fatalf("%s: message file %q %v, want the source not registered", step.name, got, err)
			}
			continue
		}
		if err != nil || got != step.want {
			t.Fatalf("%s: message file %q %v, want %q", step.name, got, err, step.want)
		}
	}
	s, closeLog, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	defer closeLog()
	if err := s.W.Info(9407, "Restore resource t End: Successful"); err != nil {
		t.Errorf("write: %v", err)
	}
}
