package action

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	p "github.com/iiskit/iiskit/internal/platform"
)

// outage runs a restore at the defaults against a host whose service state can never be
// read, with the log at level, and returns the log lines and how many state reads failed.
func outage(t *testing.T, level slog.Level) (lines []string, reads int) {
	t.Helper()
	host := &fakeHost{states: []p.ServiceState{0}, listings: [][]p.Site{withState(p.SiteStopped, bHTTP)}}
	hs := newHarness(host)
	var buf bytes.Buffer
	env := hs.env()
	env.Log = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{
		Level: level,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // the wall clock is not what is compared
			}
			return a
		},
	}))
	done := make(chan Status, 1)
	go func() { done <- Restore(t.Context(), env, w3(dws)).Status }()
	if st := <-done; st != Failure {
		t.Fatalf("status %v, want Failure", st)
	}
	checkEvents(t, hs.rec, www(9409, "UNKNOWN"), www(9408))
	return strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n"), host.count("ServiceState")
}

const queryErr = `service=W3SVC err="scripted query failure"`

// TestOutageLogsOnceAndCounts: the same failure at every poll of a wait is one line at its
// level and one summary with the count, not a line per retry.
func TestOutageLogsOnceAndCounts(t *testing.T) {
	lines, reads := outage(t, slog.LevelWarn)
	if reads < 100 {
		t.Fatalf("%d failed reads; the test needs an outage of many retries", reads)
	}
	want := []string{
		`level=ERROR msg="could not query the service state" action=restore tag=iis-www1 step=R2 ` + queryErr,
		fmt.Sprintf(`level=ERROR msg="could not query the service state (repeated)" action=restore tag=iis-www1 repeats=%d step=R2 `+queryErr, reads-1),
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("log:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// TestOutageRepeatsAtInfo: with --verbose (Info) every repeat is still there, numbered.
func TestOutageRepeatsAtInfo(t *testing.T) {
	lines, reads := outage(t, slog.LevelInfo)
	want := []string{`level=ERROR msg="could not query the service state" action=restore tag=iis-www1 step=R2 ` + queryErr}
	for i := 1; i < reads; i++ {
		want = append(want, fmt.Sprintf(`level=INFO msg="could not query the service state" action=restore tag=iis-www1 step=R2 `+queryErr+` repeat=%d`, i))
	}
	want = append(want, fmt.Sprintf(`level=ERROR msg="could not query the service state (repeated)" action=restore tag=iis-www1 repeats=%d step=R2 `+queryErr, reads-1))
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("log:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// TestDiagKeysOnStepAndMessage: the same message in another step, or another message in
// the same step, is a first occurrence of its own.
func TestDiagKeysOnStepAndMessage(t *testing.T) {
	var buf bytes.Buffer
	r := &run{log: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}}))}
	r.diag(slog.LevelError, "M1", "a", "n", 1)
	r.diag(slog.LevelError, "M2", "a", "n", 2)
	r.diag(slog.LevelWarn, "M2", "b", "n", 3)
	r.diag(slog.LevelError, "M2", "a", "n", 4) // a repeat: Info, not shown
	r.summarise()
	r.summarise() // a second end writes nothing more
	want := strings.Join([]string{
		`level=ERROR msg=a step=M1 n=1`,
		`level=ERROR msg=a step=M2 n=2`,
		`level=WARN msg=b step=M2 n=3`,
		`level=ERROR msg="a (repeated)" repeats=1 step=M2 n=4`,
	}, "\n") + "\n"
	if buf.String() != want {
		t.Errorf("log:\n%s\nwant:\n%s", buf.String(), want)
	}
}
