//go:build windows

package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/platform"
)

// defaultPlatform is the platform used without --platform: the real host on Windows.
const defaultPlatform = "windows"

// windowsHost builds the Windows platform (service manager and IIS).
func windowsHost(context.Context) (platform.Host, error) {
	return nil, fmt.Errorf("windows platform not built yet: %w", platform.ErrPrerequisite)
}

// windowsEventSink opens the Application event log sink, the default sink on Windows.
func windowsEventSink() (event.Sink, func() error, error) {
	return nil, nil, errors.New("event log sink not built yet")
}

// eventlogCommand runs `iiskit eventlog install|uninstall`.
func eventlogCommand(_ []string, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "iiskit eventlog: not built yet")
	return 2
}
