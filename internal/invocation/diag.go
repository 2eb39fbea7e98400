package invocation

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"

	"github.com/iiskit/iiskit/internal/event"
)

// diagHandler writes an action's diagnostics as the command's own lines, "iiskit NAME:
// what: the error (key=value ...)", so that the first line of a failed action names its
// cause in words, without --verbose (a host that cannot be reached, a lock folder). Each
// line is escaped as the events are.
type diagHandler struct {
	*diagState
	level slog.Level
	attrs []slog.Attr
}

// diagState is what the handlers derived from one newDiagHandler share.
type diagState struct {
	mu     sync.Mutex
	w      io.Writer
	name   string
	errors int // Error lines written: a fault the action met is named by its first one
}

// newDiagHandler writes to w the records of level and above for command name.
func newDiagHandler(w io.Writer, name string, level slog.Level) *diagHandler {
	return &diagHandler{diagState: &diagState{w: w, name: name}, level: level}
}

// wroteError reports whether an Error line was written.
func (h *diagHandler) wroteError() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.errors > 0
}

// Enabled reports whether records of level l are written.
func (h *diagHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

// Handle writes one record as one line.
func (h *diagHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString("iiskit " + h.name + ": ")
	if r.Level >= slog.LevelWarn && r.Level < slog.LevelError {
		b.WriteString("warning: ")
	}
	b.WriteString(r.Message)
	var errText string
	var rest []string
	add := func(a slog.Attr) {
		switch {
		case a.Key == "err":
			errText = a.Value.String()
		case a.Key == "action" || a.Key == "" || a.Key == slog.TimeKey:
			// the action is the line's prefix already
		default:
			rest = append(rest, a.Key+"="+quoteIfNeeded(a.Value.String()))
		}
	}
	for _, a := range h.attrs {
		add(a)
	}
	r.Attrs(func(a slog.Attr) bool { add(a); return true })
	if errText != "" {
		b.WriteString(": " + errText)
	}
	if len(rest) > 0 {
		b.WriteString(" (" + strings.Join(rest, " ") + ")")
	}
	line := event.EscapeControls(b.String()) + "\n"
	h.mu.Lock()
	defer h.mu.Unlock()
	if r.Level >= slog.LevelError {
		h.errors++
	}
	_, err := io.WriteString(h.w, line)
	return err
}

// WithAttrs returns a handler adding attrs to every line.
func (h *diagHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append(append([]slog.Attr(nil), h.attrs...), attrs...)
	return &c
}

// WithGroup is not used by the actions; groups are flattened.
func (h *diagHandler) WithGroup(string) slog.Handler { return h }

// quoteIfNeeded quotes a value holding a space, a quote or an equals sign, so that the
// key=value pairs stay readable.
func quoteIfNeeded(v string) string {
	if v == "" || strings.ContainsAny(v, " \"=") {
		return `"` + strings.ReplaceAll(v, `"`, `\"`) + `"`
	}
	return v
}
