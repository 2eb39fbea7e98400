//go:build !windows

package cli

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// tree lists every name under dir, relative and sorted ("" when dir is absent).
func tree(t *testing.T, dir string) string {
	t.Helper()
	var names []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && p != dir {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, rel)
		}
		return nil
	})
	sort.Strings(names)
	return strings.Join(names, " ")
}

// allScripts is what `lifekeeper scripts` writes for a resource file (no resource.toml).
const allScripts = "deepCheck.ksh generic generic/deepCheck.sh generic/quickCheck.sh generic/recover.sh generic/remove.sh generic/restore.sh quickCheck.ksh recover.ksh remove.ksh restore.ksh"

// TestLifeKeeperScriptsTakeWindowsPaths (issue 19 item 7): Windows paths for --exe,
// --config and --events are taken on any OS and written as given, exactly as `wsfc
// script` writes them.
func TestLifeKeeperScriptsTakeWindowsPaths(t *testing.T) {
	exe, cfg := `C:\Program Files\iiskit\iiskit.exe`, `C:\iiskit\resources.toml`
	events := `\\logs\iiskit\e.jsonl`

	dir := filepath.Join(t.TempDir(), "lk")
	s, out, errb := testStreams(nil)
	args := []string{"lifekeeper", "scripts", "--tag", "iis-www1", "--out", dir, "--exe", exe, "--config", cfg, "--events", events}
	if code := Main(context.Background(), args, s); code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	b, err := os.ReadFile(filepath.Join(dir, "restore.ksh"))
	if err != nil {
		t.Fatal(err)
	}
	ws, wout, werrb := testStreams(nil)
	wargs := []string{"wsfc", "script", "--tag", "iis-www1", "--exe", exe, "--config", cfg, "--events", events}
	if code := Main(context.Background(), wargs, ws); code != 0 {
		t.Fatalf("wsfc script: exit %d: %s", code, werrb)
	}
	for _, want := range []string{exe, "--config=" + cfg, "--events=" + events} {
		if !strings.Contains(string(b), "'"+want+"'") {
			t.Errorf("restore.ksh lacks '%s':\n%s", want, b)
		}
		if !strings.Contains(wout.String(), want) {
			t.Errorf("the Generic Script lacks %s", want)
		}
	}
	if got := strings.Count(out.String(), "\n"); got != 10 {
		t.Errorf("printed %d paths, want 10:\n%s", got, out)
	}

	// Inline: the resource file beside the scripts is read on the nodes. (The password
	// file is read here to check it, as wsfc script does: it must be on this machine.)
	inline := filepath.Join(t.TempDir(), "lk")
	pwFile := filepath.Join(t.TempDir(), "pw.txt")
	os.WriteFile(pwFile, []byte("secret\n"), 0o600)
	s, _, errb = testStreams(map[string]string{})
	args = []string{"lifekeeper", "scripts", "--tag", "iis-ftp1", "--out", inline, "--exe", exe,
		"--site", "Default FTP Site", "--type", "FTP", "--ftp-user", "probe", "--ftp-password-file", pwFile, "--events", events}
	if code := Main(context.Background(), args, s); code != 0 {
		t.Fatalf("inline: exit %d: %s", code, errb)
	}
	b, _ = os.ReadFile(filepath.Join(inline, "restore.ksh"))
	for _, want := range []string{exe, "--events=" + events, "--config=" + filepath.Join(inline, "resource.toml")} {
		if !strings.Contains(string(b), "'"+want+"'") {
			t.Errorf("inline restore.ksh lacks '%s':\n%s", want, b)
		}
	}
}

// TestLifeKeeperScriptsNothingPartial (issue 19 item 7): a failure leaves the output
// folder as it was, and bad input exits 2.
func TestLifeKeeperScriptsNothingPartial(t *testing.T) {
	root := t.TempDir()
	t.Chdir(root) // a relative --out (a Windows path taken as one) lands here, not in the sources
	run := func(args ...string) (int, string) {
		s, _, errb := testStreams(nil)
		code := Main(context.Background(), append([]string{"lifekeeper", "scripts", "--tag", "t", "--exe", "/opt/iiskit/iiskit"}, args...), s)
		return code, errb.String()
	}

	// A script's name taken by a folder: nothing is written, not even resource.toml.
	blocked := filepath.Join(root, "blocked")
	os.MkdirAll(filepath.Join(blocked, "recover.ksh"), 0o755)
	if code, errs := run("--out", blocked, "--site", "S", "--type", "W3"); code != 1 {
		t.Errorf("a folder at recover.ksh: exit %d, want 1: %s", code, errs)
	}
	if got := tree(t, blocked); got != "recover.ksh" {
		t.Errorf("after the failure the folder holds %q, want only recover.ksh", got)
	}

	for name, args := range map[string][]string{
		"a bad type":      {"--out", filepath.Join(root, "bad-type"), "--site", "S", "--type", "NOPE"},
		"a Windows --out": {"--out", `C:\iiskit\lk`, "--site", "S", "--type", "W3"},
		"no --out":        {"--site", "S", "--type", "W3"},
	} {
		if code, errs := run(args...); code != 2 {
			t.Errorf("%s: exit %d, want 2: %s", name, code, errs)
		}
	}
	if got := tree(t, root); got != "blocked blocked/recover.ksh" {
		t.Errorf("bad input wrote %q", got)
	}
}

// TestHardening6_LifeKeeperScriptsFolder: a link planted at a script's name is replaced,
// never followed (a 0600 file of root's keeps its content and mode); a folder writable by
// others or owned by another user is refused with exit 2 and nothing written; rewriting
// the scripts replaces them whole.
func TestHardening6_LifeKeeperScriptsFolder(t *testing.T) {
	root := t.TempDir()
	run := func(out string) (int, string) {
		s, _, errb := testStreams(nil)
		code := Main(context.Background(), []string{"lifekeeper", "scripts", "--tag", "t", "--exe", "/opt/iiskit/iiskit",
			"--site", "S", "--type", "W3", "--out", out}, s)
		return code, errb.String()
	}

	victim := filepath.Join(root, "shadow")
	os.WriteFile(victim, []byte("secret\n"), 0o600)
	out := filepath.Join(root, "lk")
	os.MkdirAll(filepath.Join(out, "generic"), 0o755)
	if err := os.Symlink(victim, filepath.Join(out, "generic", "quickCheck.sh")); err != nil {
		t.Fatal(err)
	}
	if code, errs := run(out); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	fi, err := os.Stat(victim)
	if b, _ := os.ReadFile(victim); err != nil || string(b) != "secret\n" || fi.Mode().Perm() != 0o600 {
		t.Errorf("the planted link was followed: %q, mode %v", b, fi.Mode())
	}
	if fi, err := os.Lstat(filepath.Join(out, "generic", "quickCheck.sh")); err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o755 {
		t.Errorf("quickCheck.sh: %v %v", fi.Mode(), err)
	}
	want := strings.Fields(allScripts + " resource.toml")
	sort.Strings(want)
	if got := tree(t, out); got != strings.Join(want, " ") {
		t.Errorf("folder holds %q", got)
	}

	unsafe := map[string]string{}
	for name, mode := range map[string]os.FileMode{"world-writable": 0o777, "sticky": 0o777 | os.ModeSticky} {
		d := filepath.Join(root, name)
		os.Mkdir(d, 0o700)
		os.Chmod(d, mode)
		unsafe[name] = d
	}
	if os.Geteuid() == 0 {
		d := filepath.Join(root, "nobody")
		os.Mkdir(d, 0o755)
		if err := os.Chown(d, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		unsafe["owned by another user"] = d
	} else {
		t.Log("not root: a folder owned by another user is covered by safefile's TestCheckFolderOwner")
	}
	for name, d := range unsafe {
		code, errs := run(d)
		if code != 2 || !strings.Contains(errs, "unsafe folder") {
			t.Errorf("%s: exit %d, want 2 naming an unsafe folder: %s", name, code, errs)
		}
		if got := tree(t, d); got != "" {
			t.Errorf("%s: wrote %q", name, got)
		}
	}
}
