package invocation

import (
	"bytes"
	"errors"
	"log/slog"
	"testing"
)

// TestDiagLines: an action's diagnostics are the command's own lines, its name first and
// the error right after what was being done, escaped as the events are (a site name or
// an error holding a line break or an ESC cannot forge a line).
func TestDiagLines(t *testing.T) {
	var buf bytes.Buffer
	h := newDiagHandler(&buf, "quickcheck", slog.LevelWarn)
	log := slog.New(h).With("action", "quickcheck", "tag", "iis-www1")
	log.Info("hidden without --verbose")
	log.Warn("site start request failed", "site", "Default Web Site", "err", errors.New("refused"))
	if h.wroteError() {
		t.Error("a warning counted as an error line")
	}
	log.Error("could not list the IIS sites", "step", "Q2", "err", errors.New("lab host at http://127.0.0.1:1: not reachable\n\x1b[2Jforged"))
	want := "iiskit quickcheck: warning: site start request failed: refused (tag=iis-www1 site=\"Default Web Site\")\n" +
		"iiskit quickcheck: could not list the IIS sites: lab host at http://127.0.0.1:1: not reachable\\n\\x1b[2Jforged (tag=iis-www1 step=Q2)\n"
	if buf.String() != want {
		t.Errorf("lines\n%s\nwant\n%s", buf.String(), want)
	}
	if !h.wroteError() {
		t.Error("the error line was not counted")
	}
}
