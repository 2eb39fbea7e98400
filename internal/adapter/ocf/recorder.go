package ocf

import (
	"sync"

	"github.com/iiskit/iiskit/internal/event"
)

// Recorder is the event sink the agent adds to the action's sinks: it keeps every event
// so Decide can read them once the action is over.
type Recorder struct {
	mu     sync.Mutex
	events []event.Event
}

var _ event.Sink = (*Recorder)(nil)

// Emit records e.
func (r *Recorder) Emit(e event.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
	return nil
}

// Events returns the events recorded so far, in order.
func (r *Recorder) Events() []event.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]event.Event(nil), r.events...)
}
