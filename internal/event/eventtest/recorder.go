// Package eventtest provides a recording event sink for tests.
package eventtest

import (
	"sync"

	"github.com/iiskit/iiskit/internal/event"
)

// Recorder is an event.Sink that keeps every event in order.
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

// Events returns a copy of the events recorded so far.
func (r *Recorder) Events() []event.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]event.Event(nil), r.events...)
}

// IDs returns the recorded events' IDs in order.
func (r *Recorder) IDs() []event.ID {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := make([]event.ID, len(r.events))
	for i, e := range r.events {
		ids[i] = e.ID
	}
	return ids
}
