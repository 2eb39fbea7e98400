package cli

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iiskit/iiskit/internal/lab"
)

// startOCFLab runs a lab host with one W3 site on 127.0.9.9 at a free port.
func startOCFLab(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.9.9:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "applicationHost.config")
	config := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<configuration><system.applicationHost><sites>
<site name="www1" id="1"><bindings><binding protocol="http" bindingInformation="127.0.9.9:%d:" /></bindings></site>
</sites></system.applicationHost></configuration>`, port)
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := lab.Start(context.Background(), lab.Options{Listen: "127.0.0.1:0", ConfigFile: cfg, Hostname: "OCFNODE"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if w := srv.Warnings(); len(w) > 0 {
		t.Fatalf("lab warnings: %v", w)
	}
	return srv.URL()
}

// ocfRun runs `iiskit ocf ACTION` with the environment env over base.
func ocfRun(t *testing.T, base, env map[string]string, action string) (int, string, string) {
	t.Helper()
	vars := map[string]string{}
	for k, v := range base {
		vars[k] = v
	}
	for k, v := range env {
		vars[k] = v
	}
	var out, errOut bytes.Buffer
	environ := func() []string {
		var kv []string
		for k, v := range vars {
			kv = append(kv, k+"="+v)
		}
		return kv
	}
	code := Main(context.Background(), []string{"ocf", action}, Streams{Getenv: func(k string) string { return vars[k] }, Environ: environ, Stdout: &out, Stderr: &errOut})
	return code, out.String(), errOut.String()
}

// TestOCFAgent drives the agent through a cluster's life on a lab host: each exit code of
// CLI.md and exactly one ocf-exit-reason line with each failure.
func TestOCFAgent(t *testing.T) {
	dir := t.TempDir()
	unreadable := filepath.Join(dir, "unreadable.toml")
	if err := os.WriteFile(unreadable, []byte("[[resource]]\ntag = \"iis1\"\nsite = \"www1\"\ntype = \"W3\"\n"), 0o000); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		unreadable = dir // root reads any file; a folder is unreadable as a resource file to everyone
	}
	badKey := filepath.Join(dir, "badkey.toml")
	if err := os.WriteFile(badKey, []byte("[[resource]]\ntag = \"iis1\"\nsite = \"www1\"\ntype = \"W3\"\nsitee = \"x\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := map[string]string{
		"OCF_RESOURCE_INSTANCE":       "iis1",
		"OCF_RESKEY_site":             "www1",
		"OCF_RESKEY_type":             "W3",
		"OCF_RESKEY_lab":              startOCFLab(t),
		"OCF_RESKEY_retry_interval":   "50ms",
		"OCF_RESKEY_CRM_meta_timeout": "20000",
		"IISKIT_LOCK_DIR":             t.TempDir(),
	}
	for _, c := range []struct {
		name   string
		action string
		env    map[string]string
		want   int
		reason string // a part of the ocf-exit-reason line; "" for none
	}{
		{"running", "monitor", nil, 0, ""},
		{"deep", "monitor", map[string]string{"OCF_CHECK_LEVEL": "10"}, 0, ""},
		{"stop", "stop", nil, 0, ""},
		{"stop again", "stop", nil, 0, ""},
		{"stopped", "monitor", nil, 7, `Current state is "Stopped".`},
		{"stopped, deep", "monitor", map[string]string{"OCF_CHECK_LEVEL": "20"}, 7, `Current state is "Stopped".`},
		{"valid while stopped", "validate-all", map[string]string{"OCF_CHECK_LEVEL": "10"}, 0, ""},
		{"start", "start", nil, 0, ""},
		{"start again", "start", nil, 0, ""},
		{"running again", "monitor", nil, 0, ""},
		{"no definition", "validate-all", map[string]string{"OCF_RESKEY_site": "", "OCF_RESKEY_type": ""}, 6, "no resource definition"},
		{"bad type", "monitor", map[string]string{"OCF_RESKEY_type": "Gopher"}, 6, "unknown service type"},
		{"bad boolean", "start", map[string]string{"OCF_RESKEY_tls_verify": "perhaps"}, 6, "tls_verify"},
		{"bad timeout", "start", map[string]string{"OCF_RESKEY_CRM_meta_timeout": "soon"}, 6, "CRM_meta_timeout"},
		{"no tag", "monitor", map[string]string{"OCF_RESOURCE_INSTANCE": ""}, 6, "no tag"},
		{"valid definition, level 0", "validate-all", map[string]string{"OCF_RESKEY_site": "nosuch"}, 0, ""},
		{"site absent, level 10", "validate-all", map[string]string{"OCF_RESKEY_site": "nosuch", "OCF_CHECK_LEVEL": "10"}, 5, `"nosuch" does not exist`},
		{"site absent: monitor", "monitor", map[string]string{"OCF_RESKEY_site": "nosuch"}, 5, "may not exist"},
		{"site absent: start", "start", map[string]string{"OCF_RESKEY_site": "nosuch"}, 5, "was not found"},
		{"site absent: stop", "stop", map[string]string{"OCF_RESKEY_site": "nosuch"}, 0, ""},
		{"lab unreachable", "monitor", map[string]string{"OCF_RESKEY_lab": "http://127.0.0.1:1"}, 1, "lab"},
		{"unknown action", "promote", nil, 3, "not implemented"},
		{"usage", "usage", nil, 0, ""},
		// A mistyped parameter: validate-all names it (6); Pacemaker's own CRM_meta_*
		// are not the agent's to judge.
		{"unknown parameter", "validate-all", map[string]string{"OCF_RESKEY_sitee": "www1", "OCF_RESKEY_CRM_meta_interval": "10000"}, 6, "unknown parameter OCF_RESKEY_sitee"},
		{"only Pacemaker's meta parameters", "validate-all", map[string]string{"OCF_RESKEY_CRM_meta_interval": "10000", "OCF_RESKEY_CRM_meta_name": "monitor"}, 0, ""},
		{"unknown parameter: monitor warns and runs", "monitor", map[string]string{"OCF_RESKEY_sitee": "www1"}, 0, ""},
		// Node-local files missing here: 5 (this node only), never 6 (every node).
		{"resource file missing here", "monitor", map[string]string{"OCF_RESKEY_site": "", "OCF_RESKEY_type": "", "OCF_RESKEY_config": "/nonexistent/iiskit.toml"}, 5, "cannot read the resource file"},
		{"resource file unreadable here", "start", map[string]string{"OCF_RESKEY_site": "", "OCF_RESKEY_type": "", "OCF_RESKEY_config": unreadable}, 5, "cannot read the resource file"},
		{"password file missing here", "monitor", map[string]string{"OCF_RESKEY_type": "FTP", "OCF_RESKEY_ftp_password_file": "/nonexistent/pw"}, 5, "cannot read the FTP password file"},
		// stop never logs in: it does not need the password to take the site out of
		// service (www1 is a W3 site, so remove finds no FTP site of that name: 9563, 0).
		{"password file missing here: stop", "stop", map[string]string{"OCF_RESKEY_type": "FTP", "OCF_RESKEY_ftp_password_file": "/nonexistent/pw"}, 0, ""},
		{"a bad key is wrong everywhere", "monitor", map[string]string{"OCF_RESKEY_site": "", "OCF_RESKEY_type": "", "OCF_RESKEY_config": badKey}, 6, "unknown key"},
		// A huge Pacemaker timeout is clamped, not wrapped into a tiny deadline.
		{"huge timeout", "monitor", map[string]string{"OCF_RESKEY_CRM_meta_timeout": "9223372036854775807"}, 0, ""},
		{"timeout beyond int64", "monitor", map[string]string{"OCF_RESKEY_CRM_meta_timeout": "99999999999999999999999"}, 0, ""},
		// A huge check level is the deepest check: a stopped site is 7 at either depth, a
		// deep check of a site whose binding does not answer fails (1) where level 0 passes.
		{"level 0 does not probe", "monitor", map[string]string{"OCF_RESKEY_expect_status": "599"}, 0, ""},
		{"huge check level is deep", "monitor", map[string]string{"OCF_CHECK_LEVEL": "99999999999999999999", "OCF_RESKEY_expect_status": "599"}, 1, "failed to respond"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := ocfRun(t, base, c.env, c.action)
			reasons := 0
			var line string
			for _, l := range strings.Split(stderr, "\n") {
				if strings.HasPrefix(l, "ocf-exit-reason:") {
					reasons++
					line = l
				}
			}
			if code != c.want {
				t.Errorf("exit %d, want %d\n%s", code, c.want, stderr)
			}
			switch {
			case c.reason == "" && reasons != 0:
				t.Errorf("an ocf-exit-reason line on success:\n%s", stderr)
			case c.reason != "" && (reasons != 1 || !strings.Contains(line, c.reason)):
				t.Errorf("want one ocf-exit-reason line with %q:\n%s", c.reason, stderr)
			}
		})
	}
}

func TestOCFMetaDataAndInstall(t *testing.T) {
	code, out, _ := ocfRun(t, nil, nil, "meta-data")
	if code != 0 || !strings.Contains(out, `<resource-agent name="iis"`) {
		t.Errorf("meta-data: exit %d\n%s", code, out)
	}
	if code, out, _ := ocfRun(t, nil, nil, "usage"); code != 0 || !strings.HasPrefix(out, "usage: iiskit ocf ") {
		t.Errorf("usage: exit %d\n%s", code, out)
	}
	// This test binary lives in Go's build folder, which Go removes: install must refuse
	// to point an agent at it, and write nothing (test/e2e installs with a real binary).
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	s := Streams{Getenv: func(string) string { return "" }, Stdout: &stdout, Stderr: &stderr}
	if code := Main(context.Background(), []string{"ocf", "install", "--dir", dir}, s); code != 2 || !strings.Contains(stderr.String(), "build folder") {
		t.Fatalf("install from a go test binary: exit %d, want 2 naming the build folder: %s", code, stderr.String())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a refused install wrote %d entries in %s", len(entries), dir)
	}
	if code := Main(context.Background(), []string{"ocf", "install", "--dir", dir, "extra"}, s); code != 2 {
		t.Errorf("install with an extra argument: exit %d, want 2", code)
	}
}
