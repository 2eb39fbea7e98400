package eventlog

import (
	"errors"
	"testing"

	"github.com/iiskit/iiskit/internal/event"
)

type call struct {
	kind string
	id   uint32
	msg  string
}

type fakeWriter struct {
	calls []call
	err   error
}

func (f *fakeWriter) Info(id uint32, m string) error    { return f.add("info", id, m) }
func (f *fakeWriter) Warning(id uint32, m string) error { return f.add("warning", id, m) }
func (f *fakeWriter) Error(id uint32, m string) error   { return f.add("error", id, m) }
func (f *fakeWriter) add(k string, id uint32, m string) error {
	f.calls = append(f.calls, call{k, id, m})
	return f.err
}

func TestSinkTypes(t *testing.T) {
	for _, tc := range []struct {
		sev  event.Severity
		want string
	}{
		{event.Information, "info"},
		{event.Warning, "warning"},
		{event.Error, "error"},
	} {
		t.Run(tc.sev.String(), func(t *testing.T) {
			w := &fakeWriter{}
			e := event.Event{ID: 9407, Severity: tc.sev, Message: "Restore resource x End: Successful"}
			if err := (Sink{W: w}).Emit(e); err != nil {
				t.Fatal(err)
			}
			if len(w.calls) != 1 || w.calls[0] != (call{tc.want, 9407, e.Message}) {
				t.Errorf("calls %v", w.calls)
			}
		})
	}
}

func TestSinkError(t *testing.T) {
	boom := errors.New("boom")
	err := (Sink{W: &fakeWriter{err: boom}}).Emit(event.Event{ID: 9705, Severity: event.Error})
	if !errors.Is(err, boom) {
		t.Errorf("got %v", err)
	}
}
