//go:build windows

package invocation

import (
	"context"

	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/event/eventlog"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/winhost"
)

// DefaultPlatform is the platform used without a platform setting: the real host on
// Windows.
const DefaultPlatform = "windows"

// windowsHost builds the Windows platform (service manager and IIS). A missing
// prerequisite (not elevated, IIS or appcmd missing) wraps platform.ErrPrerequisite.
func windowsHost(ctx context.Context) (platform.Host, error) {
	return winhost.New(ctx, winhost.Options{})
}

// windowsEventSink opens the Application event log sink (source "iiskit"), the default
// sink on Windows.
func windowsEventSink() (event.Sink, func() error, error) {
	s, closeLog, err := eventlog.Open()
	if err != nil {
		return nil, nil, err
	}
	return s, closeLog, nil
}
