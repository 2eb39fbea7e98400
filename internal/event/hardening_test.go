package event

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestHardening7_TextSinkEscapesControls: a tag or a reply with a line break, an ESC or a
// Unicode line separator writes exactly one line, with the characters escaped.
func TestHardening7_TextSinkEscapesControls(t *testing.T) {
	e, err := New(time.Unix(0, 0), "deepcheck", DeepFTPLoginFailed, Fields{
		Tag: "t\nError 9407: forged", Site: "s\x1b[31m", FTPResponse: "530 no\r\u2028x\u0085",
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := NewTextSink(&buf).Emit(e); err != nil {
		t.Fatal(err)
	}
	want := `Error 9760: The FTP site "s\x1b[31m" failed to respond successfully to the user supplied query. ` +
		`A successful FTP login response must include a 230 response line that starts with "230 ". ` +
		`The actual FTP response was as follows: 530 no\r\u2028x\u0085` + "\n"
	if buf.String() != want {
		t.Errorf("line\n got %q\nwant %q", buf.String(), want)
	}
}

type failingSink struct{}

func (failingSink) Emit(Event) error { return errors.New("broken pipe") }

// TestHardening7_MultiKeepsWritingAfterAFailingSink: a sink that fails (a closed stdout)
// does not keep the event from the sinks after it (the --events file).
func TestHardening7_MultiKeepsWritingAfterAFailingSink(t *testing.T) {
	var file bytes.Buffer
	m := Multi{failingSink{}, NewJSONSink(&file)}
	for _, id := range []ID{RestoreServiceNotStarted, RestoreFailed} {
		e, err := New(time.Unix(0, 0), "restore", id, Fields{Tag: "t"})
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Emit(e); err == nil || !strings.Contains(err.Error(), "broken pipe") {
			t.Errorf("Emit = %v, want the failing sink's error", err)
		}
	}
	if got := strings.Count(file.String(), "\n"); got != 2 || !strings.Contains(file.String(), `"id":9408`) {
		t.Errorf("events file got %q", file.String())
	}
}
