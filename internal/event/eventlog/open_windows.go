//go:build windows

package eventlog

import (
	"fmt"

	"golang.org/x/sys/windows/svc/eventlog"
)

// Open registers with the Application log as Source and returns the sink and its
// closer. It works whether or not the source is installed; without the installation
// Event Viewer shows the text but complains that the description is missing.
func Open() (Sink, func() error, error) {
	l, err := eventlog.Open(Source)
	if err != nil {
		return Sink{}, nil, fmt.Errorf("open the Application event log as %s: %w", Source, err)
	}
	return Sink{W: l}, l.Close, nil
}
