package event

import "sync"

// Recorder is a Sink that keeps every event in order, for a caller that reads the events
// once the emitter is done: the OCF agent, which chooses its exit code from them, and
// tests. It keeps all of them; a long-lived emitter wants a bounded record instead.
type Recorder struct {
	mu     sync.Mutex
	events []Event
}

var _ Sink = (*Recorder)(nil)

// Emit records e.
func (r *Recorder) Emit(e Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
	return nil
}

// Events returns a copy of the events recorded so far, in order.
func (r *Recorder) Events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

// IDs returns the recorded events' IDs in order.
func (r *Recorder) IDs() []ID {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := make([]ID, len(r.events))
	for i, e := range r.events {
		ids[i] = e.ID
	}
	return ids
}
