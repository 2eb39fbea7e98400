package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWSFCScriptAbsolutePaths checks that the cluster, running the script from system32,
// finds the files named by relative paths: every path-valued flag, and a relative
// $IISKIT_CONFIG, travels as an absolute path; a Windows path stays as given.
func TestWSFCScriptAbsolutePaths(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("res.toml", []byte("[[resource]]\ntag = \"ftp1\"\nsite = \"S\"\ntype = \"FTP\"\nftp_user = \"u\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("pw.txt", []byte("secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	abs := func(p string) string { return filepath.Join(dir, p) }
	for name, c := range map[string]struct {
		args []string
		env  map[string]string
		want []string
	}{
		"flags": {
			args: []string{"--config", "res.toml", "--events", "logs/e.jsonl", "--ftp-password-file", "pw.txt", "--exe", "bin/iiskit.exe"},
			want: []string{"--config=" + abs("res.toml"), "--events=" + abs("logs/e.jsonl"), "--ftp-password-file=" + abs("pw.txt"), abs("bin/iiskit.exe")},
		},
		"environment": {
			env:  map[string]string{"IISKIT_CONFIG": "res.toml"},
			args: []string{"--ftp-password-file=pw.txt"},
			want: []string{"--config=" + abs("res.toml"), "--ftp-password-file=" + abs("pw.txt")},
		},
		"windows paths": {
			args: []string{"--config", `C:\iiskit\res.toml`, "--events", `\\logs\iiskit\e.jsonl`, "--ftp-password-file", `D:/secret/pw.txt`, "--exe", `E:\tools\iiskit.exe`},
			want: []string{`--config=C:\iiskit\res.toml`, `--events=\\logs\iiskit\e.jsonl`, `--ftp-password-file=D:/secret/pw.txt`, `E:\tools\iiskit.exe`},
		},
	} {
		t.Run(name, func(t *testing.T) {
			s, out, errb := testStreams(c.env)
			args := append([]string{"wsfc", "script", "--tag", "ftp1", "--platform", "lab"}, c.args...)
			if code := Main(context.Background(), args, s); code != 0 {
				t.Fatalf("exit %d: %s", code, errb)
			}
			for _, w := range c.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("no %s in\n%s", w, out)
				}
			}
		})
	}
}
