package watch

import (
	"sync"
	"time"

	"github.com/iiskit/iiskit/internal/event"
)

// How much of a resource's past the status page shows.
const (
	keepEvents    = 6
	keepLatencies = 40
)

// result is the outcome of one check as the page shows it.
type result struct {
	At       time.Time
	OK       bool
	Ran      bool
	Duration time.Duration
}

// recorder keeps a resource's recent events for the status page; it is an event.Sink
// added to the resource's own actions.
type recorder struct {
	mu     sync.Mutex
	events []event.Event
}

var _ event.Sink = (*recorder)(nil)

// Emit keeps e, dropping the oldest beyond keepEvents.
func (r *recorder) Emit(e event.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.events) == keepEvents {
		r.events = append(r.events[:0], r.events[1:]...)
	}
	r.events = append(r.events, e)
	return nil
}

// recent returns the events kept, newest first.
func (r *recorder) recent() []event.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]event.Event, len(r.events))
	for i, e := range r.events {
		out[len(out)-1-i] = e
	}
	return out
}
