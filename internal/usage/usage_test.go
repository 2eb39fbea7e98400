package usage

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
)

func testCommand() (*Command, *flag.FlagSet) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.String("out", "", "the `DIR` to write in")
	fs.Bool("json", false, "JSON lines")
	fs.Duration("timeout", 0, "overall deadline")
	fs.Int("n", 3, "how many")
	c := &Command{
		Name: "thing make", Summary: "make a thing", Usage: []string{"iiskit thing make --out DIR"},
		Examples: []string{"iiskit thing make --out /tmp/t"},
	}
	c.Flags = []Group{{Title: "Flags", Flags: Flags(fs, "out", "json", "timeout", "n")}}
	return c, fs
}

// TestHelpLayout: the help names the command and what it does on its first line, then
// Usage, the flags spelt --flag with their value's name and a default only where one is
// set, and an Example.
func TestHelpLayout(t *testing.T) {
	c, _ := testCommand()
	var b bytes.Buffer
	c.Write(&b)
	want := `iiskit thing make: make a thing

Usage:
  iiskit thing make --out DIR

Flags:
  --out DIR           the DIR to write in
  --json              JSON lines
  --timeout duration  overall deadline
  --n int             how many (default 3)

Example:
  iiskit thing make --out /tmp/t
`
	if b.String() != want {
		t.Errorf("help:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestParse: -h and --help write the help on stdout (flag.ErrHelp, status 0); an unknown
// flag is two lines on stderr, the last pointing at the help (status 2), and nothing on
// stdout.
func TestParse(t *testing.T) {
	for _, h := range []string{"-h", "--help"} {
		c, fs := testCommand()
		var out, errb bytes.Buffer
		err := c.Parse(fs, []string{h}, &out, &errb)
		if !errors.Is(err, flag.ErrHelp) || Status(err) != 0 || !strings.HasPrefix(out.String(), "iiskit thing make: ") || errb.Len() != 0 {
			t.Errorf("%s: %v, stdout %q, stderr %q", h, err, out.String(), errb.String())
		}
	}
	c, fs := testCommand()
	var out, errb bytes.Buffer
	err := c.Parse(fs, []string{"--outt", "x"}, &out, &errb)
	want := "iiskit thing make: flag provided but not defined: -outt\nusage: iiskit thing make --out DIR; see iiskit thing make -h\n"
	if !errors.Is(err, ErrReported) || Status(err) != 2 || errb.String() != want || out.Len() != 0 {
		t.Errorf("%v (status %d), stderr %q, want %q", err, Status(err), errb.String(), want)
	}
}

// TestWantsHelp: -h counts anywhere before "--", not after it (a site may be called -h).
func TestWantsHelp(t *testing.T) {
	for args, want := range map[string]bool{"a -h": true, "--help b": true, "-- -h": false, "a b": false, "-hh": false} {
		if got := WantsHelp(strings.Fields(args)); got != want {
			t.Errorf("WantsHelp(%q) = %v, want %v", args, got, want)
		}
	}
}
