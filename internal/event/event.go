package event

import (
	"fmt"
	"strings"
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
	// ServiceState is the service state the message reports ($SVCSTATEDESC: STOPPED,
	// START_PENDING, ..., UNKNOWN when it could not be read) and SiteState the site state
	// ($SITESTATE), so that a program decides on them without parsing the text (the OCF
	// agent does); each is empty when the message reports none.
	ServiceState string `json:"serviceState,omitempty"`
	SiteState    string `json:"siteState,omitempty"`
	// Cause is, on the event that decided a failed action, why it failed in words
	// ("the host could not be asked (Q1): ..."): the original's texts must stay as they
	// are even when they name the wrong cause (a host that cannot be reached reads as
	// "StateCode = 0"). The emitter fills it; empty on every other event.
	Cause string `json:"cause,omitempty"`
	// Pool is the application pool the message names ($POOL) and PoolState its state
	// ($POOLSTATE) [ext], empty when it names none.
	Pool      string `json:"pool,omitempty"`
	PoolState string `json:"poolState,omitempty"`
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
	e := Event{
		Time: t.UTC(), ID: id, Severity: m.Severity, Action: action,
		Tag: f.Tag, Site: f.Site, System: f.System, Message: text,
	}
	if strings.Contains(m.Text, "$SVCSTATE") {
		e.ServiceState = f.ServiceDesc
	}
	if strings.Contains(m.Text, "$SITESTATE") {
		e.SiteState = f.SiteState
	}
	if strings.Contains(m.Text, "$POOL") {
		e.Pool = f.Pool
	}
	if strings.Contains(m.Text, "$POOLSTATE") {
		e.PoolState = f.PoolState
	}
	return e, nil
}

// String returns the readable line of the stderr sink: "Error 9705: Checking ...".
func (e Event) String() string {
	return fmt.Sprintf("%s %d: %s", e.Severity, e.ID, e.Message)
}
