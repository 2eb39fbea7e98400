package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/cli"
)

// TestHelpOfTheBinary runs the built binary as a user would: every command and
// subcommand answers -h with exit 0 and its help on stdout (what it does, its usage, an
// example); a mistyped flag is a short error on stderr pointing at the help, exit 2.
func TestHelpOfTheBinary(t *testing.T) {
	t.Parallel()
	for _, path := range cli.Commands() {
		r := runWithin(t, 10*time.Second, nil, append(strings.Fields(path), "-h")...)
		if r.code != 0 || r.stderr != "" || !strings.HasPrefix(r.stdout, "iiskit "+path+": ") ||
			!strings.Contains(r.stdout, "\nUsage:\n") || !strings.Contains(r.stdout, "\nExample") {
			t.Errorf("iiskit %s -h: exit %d\nstdout:\n%s\nstderr:\n%s", path, r.code, r.stdout, r.stderr)
		}
	}
	// The issue's own example: a mistyped resource flag.
	r := runWithin(t, 10*time.Second, nil, "quickcheck", "--tag", "iis-www1", "--sitee", "Default Web Site")
	want := "iiskit quickcheck: flag provided but not defined: -sitee\n" +
		"usage: iiskit quickcheck --tag TAG [--site NAME --type W3|FTP|SMTP | --config FILE] [flags]; see iiskit quickcheck -h\n"
	if r.code != 2 || r.stderr != want || r.stdout != "" {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 2 and:\n%s", r.code, r.stderr, want)
	}
}
