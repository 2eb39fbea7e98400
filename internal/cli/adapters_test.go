package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iiskit/iiskit/internal/adapter/wsfc"
	"github.com/iiskit/iiskit/internal/config"
)

func testStreams(env map[string]string) (Streams, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return Streams{Getenv: func(k string) string { return env[k] }, Stdout: &out, Stderr: &errb}, &out, &errb
}

func TestWSFCScriptCommand(t *testing.T) {
	s, out, errb := testStreams(nil)
	code := Main(context.Background(), []string{"wsfc", "script", "--tag", "t1", "--site", `a"b %c%`, "--type", "W3",
		"--platform", "lab", "--lab", "http://127.0.3.1:9", "--events", `C:\log\e.jsonl`, "--timeout", "50s"}, s)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	want := `Online = IiskitChange("Online", "restore --tag=t1 ""--site=a\""b %c%"" --type=W3 --platform=lab --lab=http://127.0.3.1:9 --events=C:\log\e.jsonl --timeout=50s")`
	if !strings.Contains(out.String(), want) {
		t.Errorf("no %s in\n%s", want, out)
	}
	for _, bad := range [][]string{
		{"wsfc"},
		{"wsfc", "nosuch"},
		{"wsfc", "script", "--tag", "t", "--site", "x", "--type", "nosuch"},
		{"wsfc", "script", "--tag", "t", "--site", "x", "--type", "W3", "--timeout", "5m"},
		{"wsfc", "script", "--tag", "t", "--site", "x", "--type", "W3", "--exe", `C:\"x.exe`},
		{"wsfc", "script", "--tag", "t"},
	} {
		s, _, _ := testStreams(nil)
		if code := Main(context.Background(), bad, s); code != 2 {
			t.Errorf("%q: exit %d, want 2", bad, code)
		}
	}
}

func TestWSFCRunCheck(t *testing.T) {
	s, _, _ := testStreams(nil)
	if code := Main(context.Background(), []string{"wsfc", "runcheck", "%SystemRoot%"}, s); code != wsfc.RunCheckLiteral {
		t.Errorf("literal: exit %d", code)
	}
	if code := Main(context.Background(), []string{"wsfc", "runcheck", `C:\Windows`}, s); code != wsfc.RunCheckExpanded {
		t.Errorf("expanded: exit %d", code)
	}
}

func TestLifeKeeperScriptsCommand(t *testing.T) {
	dir := t.TempDir()
	site := `x"; $(touch pwned) '%PATH%'`
	s, _, errb := testStreams(nil)
	code := Main(context.Background(), []string{"lifekeeper", "scripts", "--tag", "t'1", "--out", dir, "--exe", "/opt/iiskit",
		"--site", site, "--type", "web", "--platform", "lab", "--events", "rel/e.jsonl"}, s)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	f, err := config.Load(filepath.Join(dir, "resource.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := f.Lookup("t'1"); !ok || r.Site != site {
		t.Errorf("resource file holds %+v", r)
	}
	b, err := os.ReadFile(filepath.Join(dir, "restore.ksh"))
	if err != nil {
		t.Fatal(err)
	}
	script := string(b)
	if strings.Contains(script, "touch") {
		t.Error("the site name is in the script")
	}
	abs, _ := filepath.Abs("rel/e.jsonl")
	for _, want := range []string{"'--config=" + filepath.Join(dir, "resource.toml") + "'", "'--events=" + abs + "'", "'--platform=lab'", `tag='t'\''1'`} {
		if !strings.Contains(script, want) {
			t.Errorf("no %s in\n%s", want, script)
		}
	}

	cfg := filepath.Join(dir, "r.toml")
	os.WriteFile(cfg, []byte("[[resource]]\ntag = \"www\"\nsite = \"S\"\ntype = \"W3\"\n"), 0o644)
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"lifekeeper", "scripts", "--tag", "www", "--out", filepath.Join(dir, "ok"), "--exe", "/x"}, 0}, // $IISKIT_CONFIG
		{[]string{"lifekeeper", "scripts", "--tag", "nope", "--out", dir, "--config", cfg}, 2},
		{[]string{"lifekeeper", "scripts", "--tag", "www", "--config", cfg}, 2},
		{[]string{"lifekeeper", "scripts", "--tag", "www", "--out", dir, "--config", cfg, "--site", "x", "--type", "W3"}, 2},
		{[]string{"lifekeeper"}, 2},
	} {
		s, _, errb := testStreams(map[string]string{"IISKIT_CONFIG": cfg})
		if code := Main(context.Background(), c.args, s); code != c.want {
			t.Errorf("%q: exit %d, want %d: %s", c.args, code, c.want, errb)
		}
	}
	b, _ = os.ReadFile(filepath.Join(dir, "ok", "generic", "quickCheck.sh"))
	if !strings.Contains(string(b), "'--config="+cfg+"'") {
		t.Errorf("$IISKIT_CONFIG is not named in the script:\n%s", b)
	}
}
