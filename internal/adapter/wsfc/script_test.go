package wsfc

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update once)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n%s", name, got)
	}
}

func TestWriteGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		o    Options
	}{
		{"default.vbs", Options{Tag: "iis-www1", Version: "1.2.3",
			Args: []string{"--tag=iis-www1", `--config=C:\iiskit\resources.toml`}}},
		{"hostile.vbs", Options{Tag: "t\"1", Version: "1.2.3", Exe: `D:\tools\iiskit.exe`, Timeout: 90 * time.Second,
			Args: []string{"--tag=t\"1", `--site=x"; & ^ %PATH% \" é`, "--type=W3", "--platform=lab", "--lab=http://127.0.3.1:7780"}}},
	} {
		var b bytes.Buffer
		if err := Write(&b, c.o); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		golden(t, c.name, b.Bytes())
	}
}

// TestWriteHostIsCluster checks what the cluster's script host needs: every entry point,
// no WScript object (there is none outside wscript/cscript), Booleans from the checks,
// CRLF lines, pure ASCII.
func TestWriteHostIsCluster(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, Options{Tag: "x", Args: []string{"--tag=x", "--site=é\"%"}}); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, fn := range []string{"Open", "Online", "LooksAlive", "IsAlive", "Offline", "Terminate", "Close"} {
		if !regexp.MustCompile(`(?m)^Function ` + fn + `\(\)\r$`).MatchString(s) {
			t.Errorf("no entry point %s", fn)
		}
	}
	if regexp.MustCompile(`WScript\.[A-Za-z]`).MatchString(strings.ReplaceAll(s, `"WScript.Shell"`, "")) {
		t.Error("the script uses the WScript object, which the cluster does not provide")
	}
	if !strings.Contains(s, "IiskitCheck = (rc = 0)") {
		t.Error("the checks do not return a Boolean")
	}
	if strings.Count(s, "\n") != strings.Count(s, "\r\n") {
		t.Error("not CRLF throughout")
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r >= 0x7f || r < 0x20 && r != '\r' && r != '\n' && r != '\t' }) {
		t.Error("not printable ASCII")
	}
}

func TestWriteCommands(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, Options{Tag: "t", Args: []string{"--tag=t"}}); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{
		`Online = IiskitChange("Online", "restore --tag=t --timeout=2m0s")`,
		`LooksAlive = IiskitCheck("LooksAlive", "quickcheck --tag=t")`,
		`IsAlive = IiskitCheck("IsAlive", "deepcheck --tag=t")`,
		`Offline = IiskitChange("Offline", "remove --tag=t --timeout=2m0s")`,
		`Terminate = IiskitChange("Terminate", "remove --tag=t --timeout=2m0s")`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %s", want)
		}
	}
}

func TestWriteRejects(t *testing.T) {
	for name, o := range map[string]Options{
		"timeout beyond the pending timeout": {Tag: "t", Timeout: 3 * time.Minute},
		"timeout in Args":                    {Tag: "t", Args: []string{"--timeout=1s"}},
		"quote in the exe path":              {Tag: "t", Exe: `C:\a"b.exe`},
		"invalid UTF-8":                      {Tag: "t", Args: []string{"--site=\xff"}},
	} {
		if err := Write(&bytes.Buffer{}, o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
