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

// seenEvent is an event as the status page lists it: the same message in a row is one
// line with a count, so a site that fails every second does not push out the rest.
type seenEvent struct {
	event.Event
	Repeats int // times seen in a row; Time is the latest
}

// recorder keeps a resource's recent events for the status page; it is an event.Sink
// added to the resource's own actions. Unlike event.Recorder, which keeps every event, it
// is bounded and folds repeats: the daemon runs for months.
type recorder struct {
	mu     sync.Mutex
	events []seenEvent
}

var _ event.Sink = (*recorder)(nil)

// Emit keeps e, dropping the oldest beyond keepEvents.
func (r *recorder) Emit(e event.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n := len(r.events); n > 0 && r.events[n-1].ID == e.ID && r.events[n-1].Message == e.Message {
		r.events[n-1].Event = e
		r.events[n-1].Repeats++
		return nil
	}
	if len(r.events) == keepEvents {
		r.events = append(r.events[:0], r.events[1:]...)
	}
	r.events = append(r.events, seenEvent{Event: e, Repeats: 1})
	return nil
}

// recent returns the events kept, newest first.
func (r *recorder) recent() []seenEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]seenEvent, len(r.events))
	for i, e := range r.events {
		out[len(out)-1-i] = e
	}
	return out
}
