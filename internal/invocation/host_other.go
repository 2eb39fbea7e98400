//go:build !windows

package invocation

import (
	"context"
	"errors"
	"fmt"

	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/platform"
)

// DefaultPlatform is the platform used without a platform setting: the lab host off
// Windows.
const DefaultPlatform = "lab"

var errWindowsOnly = fmt.Errorf("the windows platform runs only on Windows: %w", platform.ErrPrerequisite)

// windowsHost builds the Windows platform; off Windows it reports that it cannot.
func windowsHost(context.Context) (platform.Host, error) { return nil, errWindowsOnly }

// windowsEventSink opens the Application event log sink; off Windows there is none, and
// events go to stderr.
func windowsEventSink() (event.Sink, func() error, error) {
	return nil, nil, errors.New("no Windows event log on this system")
}
