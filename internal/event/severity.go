package event

import "fmt"

// Severity is an event's level. The values are the Windows event types
// (EVENTLOG_ERROR_TYPE 1, EVENTLOG_WARNING_TYPE 2, EVENTLOG_INFORMATION_TYPE 4), so the
// event-log sink passes them through unchanged.
type Severity uint16

// The three severities of the catalogue.
const (
	Error       Severity = 1
	Warning     Severity = 2
	Information Severity = 4
)

// String returns "Error", "Warning" or "Information", as Event Viewer and the JSON sink
// show it.
func (s Severity) String() string {
	switch s {
	case Error:
		return "Error"
	case Warning:
		return "Warning"
	case Information:
		return "Information"
	}
	return fmt.Sprintf("Severity(%d)", uint16(s))
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
