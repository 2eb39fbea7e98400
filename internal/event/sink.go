package event

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// Sink records events in the order they happen. Emit takes no context on purpose: the
// closing event of an action that ran out of time must still be written (SPEC Timing).
type Sink interface {
	Emit(e Event) error
}

// Multi sends every event to each sink in turn; one failing sink does not stop the others.
type Multi []Sink

// Emit writes e to every sink and joins their errors.
func (m Multi) Emit(e Event) error {
	var errs []error
	for _, s := range m {
		if err := s.Emit(e); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// TextSink writes each event as one readable line, "Error 9705: ...".
type TextSink struct {
	mu sync.Mutex
	w  io.Writer
}

// NewTextSink returns a sink writing readable lines to w (stderr by default in the CLI).
func NewTextSink(w io.Writer) *TextSink { return &TextSink{w: w} }

// Emit writes one line. Control characters in it (a line break or an ESC in a tag, a
// site or a server's reply) are written escaped, so no event can forge another line or
// drive a terminal. The event that decided a failed action ends with its cause in
// brackets ("[cause: the HTTP request of binding 127.0.0.1:80: failed ...]"): the
// original's text stays as it is, and a reader still learns which binding or which host
// failed without --verbose.
func (s *TextSink) Emit(e Event) error {
	line := e.String()
	if e.Cause != "" {
		line += " [cause: " + e.Cause + "]"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := fmt.Fprintln(s.w, EscapeControls(line)); err != nil {
		return fmt.Errorf("write event %d: %w", e.ID, err)
	}
	return nil
}

// JSONSink writes each event as one JSON object per line (CLI.md keys).
type JSONSink struct {
	mu sync.Mutex
	w  io.Writer
}

// NewJSONSink returns a sink writing JSON lines to w.
func NewJSONSink(w io.Writer) *JSONSink { return &JSONSink{w: w} }

// Emit writes one JSON line in a single Write, so lines from several processes appending
// to one file do not interleave.
func (s *JSONSink) Emit(e Event) error {
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode event %d: %w", e.ID, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write event %d: %w", e.ID, err)
	}
	return nil
}

// EscapeControls writes C0 and C1 control characters, DEL and the Unicode line and
// paragraph separators as Go escapes (\n, \x1b, \u2028); everything else is unchanged.
// Every line iiskit writes for a terminal or a log reader goes through it, so no value
// (a tag, a site, a server's reply, an error) can forge a line or drive a terminal.
func EscapeControls(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if !isControl(r) {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRune(r) // '\n', '\x1b', '\u2028'
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || r == 0x2028 || r == 0x2029
}
