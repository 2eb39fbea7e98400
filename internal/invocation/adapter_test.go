package invocation

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/iiskit/iiskit/internal/usage"
)

func TestParseAdapterCommand(t *testing.T) {
	s, _, _ := testStreams(nil)
	c, code := ParseAdapterCommand(&usage.Command{Name: "x", Usage: []string{"u"}}, []string{
		"--tag", "t", "-exe=C:\\a b\\iiskit.exe", "--site", "--out", "--type=W3", "--json", "--out", "D",
		"--timeout", "1m", "-json=false",
	}, []string{"out", "exe"}, s)
	if c == nil {
		t.Fatalf("exit %d", code)
	}
	if c.Own["exe"] != `C:\a b\iiskit.exe` || c.Own["out"] != "D" {
		t.Errorf("own flags %q", c.Own)
	}
	want := []string{"--tag=t", "--site=--out", "--type=W3", "--json", "--timeout=1m", "--json=false"}
	if got := ArgStrings(c.Args); !slices.Equal(got, want) {
		t.Errorf("action flags %q, want %q", got, want)
	}
	if c.Request.Value("site") != "--out" || c.Request.Value("json") != "false" {
		t.Errorf("parsed %+v", c.Request)
	}
	for _, bad := range [][]string{
		{"--tag", "t", "extra"},
		{"--tag"},
		{"--tag", "t", "--nosuch", "v"},
		{"--site", "x"},                      // no tag
		{"--tag", "t", "--json=maybe"},       // a boolean with a bad value
		{"--tag", "t", "--timeout", "-1s"},   // the actions' own checks apply
		{"--tag", "t", "--retry-interval=0"}, //
	} {
		s, _, _ := testStreams(nil)
		if c, code := ParseAdapterCommand(&usage.Command{Name: "x", Usage: []string{"u"}}, bad, []string{"out"}, s); c != nil || code != 2 {
			t.Errorf("%q: accepted (exit %d)", bad, code)
		}
	}
}

func TestScriptPath(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"res.toml":                  filepath.Join(wd, "res.toml"),
		"../x/ev.jsonl":             filepath.Join(filepath.Dir(wd), "x", "ev.jsonl"),
		`C:\iiskit\resources.toml`:  `C:\iiskit\resources.toml`,
		`d:/iiskit/e.jsonl`:         `d:/iiskit/e.jsonl`,
		`\\files\share\pw.txt`:      `\\files\share\pw.txt`,
		`//files/share/pw.txt`:      `//files/share/pw.txt`,
		"":                          "",
		filepath.Join(wd, "a.toml"): filepath.Join(wd, "a.toml"),
	} {
		if got := ScriptPath(in); got != want {
			t.Errorf("ScriptPath(%q) = %q, want %q", in, got, want)
		}
	}
	for _, notAbs := range []string{`C:x`, `1:\x`, `\x`, `\\`, `\\\x`, "x:"} {
		if WindowsAbs(notAbs) {
			t.Errorf("WindowsAbs(%q) = true", notAbs)
		}
	}
}
