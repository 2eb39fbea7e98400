// Package eventlog is iiskit's Windows Application event-log sink and the installation
// of its event source. The source's message file is iiskit.exe itself, which carries a
// message table (built by package event/msgtable) with every ID 9400..9899 rendering as
// its first insertion string, so Event Viewer shows the catalogue's text under the
// catalogue's ID. The OS-neutral part here maps events onto a Writer; the Windows files
// open the real log.
package eventlog

import (
	"fmt"

	"github.com/iiskit/iiskit/internal/event"
)

// Source is the event source name iiskit registers under the Application log.
const Source = "iiskit"

// Writer is the part of an event log the sink uses, one method per event type, as
// golang.org/x/sys/windows/svc/eventlog.Log has them.
type Writer interface {
	Info(eid uint32, msg string) error
	Warning(eid uint32, msg string) error
	Error(eid uint32, msg string) error
}

// Sink writes events to a Writer with the event type of their severity.
type Sink struct {
	W Writer
}

// Emit writes e with its ID and its rendered message as the one insertion string.
func (s Sink) Emit(e event.Event) error {
	var err error
	switch e.Severity {
	case event.Information:
		err = s.W.Info(uint32(e.ID), e.Message)
	case event.Warning:
		err = s.W.Warning(uint32(e.ID), e.Message)
	default:
		err = s.W.Error(uint32(e.ID), e.Message)
	}
	if err != nil {
		return fmt.Errorf("write event %d to the Application log: %w", e.ID, err)
	}
	return nil
}
