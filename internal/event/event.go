package event

import (
	"fmt"
	"time"
)

// Event is one numbered message as it happened: what the sinks record.
type Event struct {
	Time     time.Time `json:"time"`
	ID       ID        `json:"id"`
	Severity Severity  `json:"severity"`
	Action   string    `json:"action"`
	Tag      string    `json:"tag"`
	Site     string    `json:"site,omitempty"`
	System   string    `json:"system,omitempty"`
	Message  string    `json:"message"`
}

// New renders message id with f into an Event stamped at t for action.
func New(t time.Time, action string, id ID, f Fields) (Event, error) {
	m, ok := Lookup(id)
	if !ok {
		return Event{}, fmt.Errorf("event %d is not in the catalogue", id)
	}
	text, err := expand(m.Text, f.lookup)
	if err != nil {
		return Event{}, fmt.Errorf("event %d: %w", id, err)
	}
	return Event{
		Time: t.UTC(), ID: id, Severity: m.Severity, Action: action,
		Tag: f.Tag, Site: f.Site, System: f.System, Message: text,
	}, nil
}

// String returns the readable line of the stderr sink: "Error 9705: Checking ...".
func (e Event) String() string {
	return fmt.Sprintf("%s %d: %s", e.Severity, e.ID, e.Message)
}
