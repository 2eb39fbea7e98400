package lifekeeper

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iiskit/iiskit/internal/config"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const hostileTag = `it's "x" $(touch pwned) ; \ ` + "`id`"

func TestWriteGolden(t *testing.T) {
	dir := t.TempDir()
	paths, err := Write(dir, Options{Tag: "iis-www1", Exe: "/opt/iiskit/iiskit", Version: "1.2.3",
		Args: []string{"--config=/etc/iiskit/resources.toml", "--timeout=60s"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != len(Actions)*len(Forms) {
		t.Fatalf("wrote %d files: %q", len(paths), paths)
	}
	for _, name := range []string{"restore.ksh", "generic/quickCheck.sh"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		g := filepath.Join("testdata", strings.ReplaceAll(name, "/", "_"))
		if *update {
			os.WriteFile(g, got, 0o644)
		}
		want, err := os.ReadFile(g)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (%v):\n%s", name, g, err, got)
		}
	}
}

// TestScriptsRun runs every script with sh against a stand-in iiskit that records its
// arguments and exits with a chosen status: the arguments arrive whole, the status comes
// back, and a -t naming another tag is refused without running iiskit. (scripts/winkit.sh
// runs them with ksh against a real lab host.)
func TestScriptsRun(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	argsFile := filepath.Join(dir, "args")
	fake := filepath.Join(dir, "iiskit")
	os.WriteFile(fake, []byte("#!/bin/sh\nfor a; do printf '%s\\n' \"$a\"; done >\"$ARGS_FILE\"\nexit \"$FAKE_EXIT\"\n"), 0o755)
	hostileArg := "--events=/tmp/a b/'q' \"d\" $HOME `x`"
	if _, err := Write(dir, Options{Tag: hostileTag, Exe: fake, Args: []string{hostileArg}}); err != nil {
		t.Fatal(err)
	}
	for _, f := range Forms {
		for _, a := range Actions {
			script := filepath.Join(dir, f.Dir, a.Script+f.Ext)
			for _, c := range []struct {
				args   []string
				status string
				want   int
			}{
				{nil, "0", 0},
				{[]string{"-t", hostileTag, "-i", "id-1"}, "1", 1},
				{nil, "2", 2},
				{[]string{"-t", "other", "-i", "x"}, "0", 1},
			} {
				os.Remove(argsFile)
				cmd := exec.Command(sh, append([]string{script}, c.args...)...)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "ARGS_FILE="+argsFile, "FAKE_EXIT="+c.status)
				err := cmd.Run()
				code := 0
				var ee *exec.ExitError
				if errors.As(err, &ee) {
					code = ee.ExitCode()
				} else if err != nil {
					t.Fatal(err)
				}
				if code != c.want {
					t.Errorf("%s %q: exit %d, want %d", script, c.args, code, c.want)
				}
				got, _ := os.ReadFile(argsFile)
				if c.args != nil && c.args[1] == "other" {
					if got != nil {
						t.Errorf("%s ran iiskit for another tag", script)
					}
					continue
				}
				want := a.Command + "\n--tag=" + hostileTag + "\n" + hostileArg + "\n"
				if string(got) != want {
					t.Errorf("%s: iiskit got\n%s\nwant\n%s", script, got, want)
				}
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
		t.Error("the tag was run as a command")
	}
}

func TestWriteResourceRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), ResourceFileName)
	// No control character: SPEC S5 refuses them in a site name of every type.
	site := `x"; Remove-Item C:\ -Recurse; " ''' """ $(id) é`
	b, err := renderResource(Resource{Tag: hostileTag, Site: site, Type: "FTP", FTPUser: "u\"1", FTPPasswordFile: "/a b/pw"})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	r, ok := f.Lookup(hostileTag)
	if !ok || r.Site != site || r.Type.String() != "FTP" || r.FTP.User != "u\"1" || r.FTP.PasswordFile != "/a b/pw" {
		t.Errorf("read back %+v", r)
	}
}

func TestWriteRejects(t *testing.T) {
	if _, err := Write(t.TempDir(), Options{Tag: " ", Exe: "/x"}); err == nil {
		t.Error("empty tag accepted")
	}
	if _, err := Write(t.TempDir(), Options{Tag: "t", Exe: "iiskit"}); err == nil {
		t.Error("relative exe accepted")
	}
}
