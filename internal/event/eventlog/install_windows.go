//go:build windows

package eventlog

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
	"golang.org/x/sys/windows/svc/eventlog"
)

// sourceKey is the source's registry key under HKLM.
const sourceKey = `SYSTEM\CurrentControlSet\Services\EventLog\Application\` + Source

// supported are the event types iiskit writes.
const supported = eventlog.Error | eventlog.Warning | eventlog.Info

// Install registers Source with exe (iiskit.exe's full path) as its message file. It is
// idempotent: an existing registration is pointed at exe again, so reinstalling after
// moving the exe repairs rendering. It needs an administrator.
func Install(exe string) error {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, sourceKey, registry.SET_VALUE)
	switch {
	case errors.Is(err, windows.ERROR_FILE_NOT_FOUND):
		if err := eventlog.Install(Source, exe, false, supported); err != nil {
			return fmt.Errorf("install event source %s: %w", Source, err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("open event source key HKLM\\%s: %w", sourceKey, err)
	}
	defer k.Close()
	if err := k.SetStringValue("EventMessageFile", exe); err != nil {
		return fmt.Errorf("set EventMessageFile of %s: %w", Source, err)
	}
	if err := k.SetDWordValue("TypesSupported", supported); err != nil {
		return fmt.Errorf("set TypesSupported of %s: %w", Source, err)
	}
	return nil
}

// Uninstall removes Source's registration; a source that is not registered is not an
// error. It needs an administrator.
func Uninstall() error {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, sourceKey, registry.QUERY_VALUE)
	if errors.Is(err, windows.ERROR_FILE_NOT_FOUND) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open event source key HKLM\\%s: %w", sourceKey, err)
	}
	k.Close()
	if err := eventlog.Remove(Source); err != nil {
		return fmt.Errorf("remove event source %s: %w", Source, err)
	}
	return nil
}

// Registered returns the message file Source is registered with (EventMessageFile,
// expanded); a source that is not registered is an error wrapping
// windows.ERROR_FILE_NOT_FOUND. It reads only, and needs no administrator.
func Registered() (string, error) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, sourceKey, registry.QUERY_VALUE)
	if err != nil {
		return "", fmt.Errorf("open event source key HKLM\\%s: %w", sourceKey, err)
	}
	defer k.Close()
	v, _, err := k.GetStringValue("EventMessageFile")
	if err != nil {
		return "", fmt.Errorf("read EventMessageFile of %s: %w", Source, err)
	}
	if x, err := registry.ExpandString(v); err == nil {
		v = x
	}
	return v, nil
}
