//go:build !windows

package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/platform"
)

// defaultPlatform is the platform used without --platform: the lab host off Windows.
const defaultPlatform = "lab"

var errWindowsOnly = fmt.Errorf("the windows platform runs only on Windows: %w", platform.ErrPrerequisite)

// windowsHost builds the Windows platform; off Windows it reports that it cannot.
func windowsHost(context.Context) (platform.Host, error) { return nil, errWindowsOnly }

// windowsEventSink opens the Application event log sink; off Windows there is none, and
// events go to stderr.
func windowsEventSink() (event.Sink, func() error, error) {
	return nil, nil, errors.New("no Windows event log on this system")
}

// eventlogCommand runs `iiskit eventlog install|uninstall`.
func eventlogCommand(_ []string, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "iiskit eventlog: the Windows event log exists only on Windows")
	return 2
}
