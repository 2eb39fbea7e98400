package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/event/eventtest"
)

// TestLifecycle is the cluster manager's story: restore → deepcheck → fault → quickcheck
// fails → recover → remove, each step a separate process.
func TestLifecycle(t *testing.T) {
	t.Parallel()
	lab := startLab(t, web, ftp)
	lab.ctl("service", "W3SVC", "state", "Stopped") // the standby node

	lab.run(w3Args("restore", web.name)...).expectLines(t, lab, 0, wwwFx.Line(9407))
	lab.run(w3Args("quickcheck", web.name)...).expectLines(t, lab, 0)
	lab.run(w3Args("deepcheck", web.name)...).expectLines(t, lab, 0)

	lab.ctl("service", "W3SVC", "state", "Stopped") // the fault
	lab.run(w3Args("quickcheck", web.name)...).expectLines(t, lab, 1, wwwFx.Line(9705, 1))
	lab.run(w3Args("deepcheck", web.name)...).expectLines(t, lab, 1, wwwFx.Line(9705, 1))

	lab.run(w3Args("recover", web.name)...).expectLines(t, lab, 0)
	lab.run(w3Args("deepcheck", web.name)...).expectLines(t, lab, 0)

	lab.run(w3Args("remove", web.name)...).expectLines(t, lab, 0, wwwFx.Line(9558))
	lab.run(w3Args("quickcheck", web.name)...).expectLines(t, lab, 1, wwwFx.Line(9704, "Stopped"))
	// The FTP site was never touched by the web resource's actions.
	ftpArgs := append([]string{"deepcheck", "--tag", "iis-ftp1", "--site", ftp.name, "--type", "FTP", "--ftp-user", "probe"}, fast...)
	runIISKit(t, append(lab.env, "IISKIT_FTP_PASSWORD=probe"), ftpArgs...).expectLines(t, lab, 0)
}

// TestHostileSiteName shows that a site name full of shell and PowerShell syntax travels
// intact through the command line, the lab host and the events (SPEC S1).
func TestHostileSiteName(t *testing.T) {
	t.Parallel()
	name := `x"; Remove-Item C:\ -Recurse; "$(whoami) & echo %PATH% 'it''s' \\srv\share`
	lab := startLab(t, web)
	lab.ctl("site", name, "add", "--type", "W3", "--binding", "http/"+lab.IP+":8081:", "--stopped")
	lab.run(w3Args("restore", name)...).expectLines(t, lab, 0, www(name, 9407))
	lab.run(w3Args("deepcheck", name)...).expectLines(t, lab, 0)
	lab.ctl("site", name, "state", "Stopped")
	// The whole text: the name travelled intact through argv, the lab host and the event.
	lab.run(w3Args("quickcheck", name)...).expectLines(t, lab, 1, www(name, 9704, "Stopped"))
	lab.run(w3Args("remove", name)...).expectLines(t, lab, 0, www(name, 9558))
}

// TestDefinitionErrors: bad input is exit 2 with a clear message, and nothing changes.
func TestDefinitionErrors(t *testing.T) {
	t.Parallel()
	lab := startLab(t, web)
	lab.ctl("site", web.name, "state", "Stopped")
	dir := t.TempDir()
	badConfig := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(badConfig, []byte("[[resource]]\ntag = \"iis-www1\"\nsite = \"\"\ntype = \"W3\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"unknown type", []string{"restore", "--tag", "t", "--site", web.name, "--type", "GOPHER"}, `unknown service type "GOPHER"`},
		{"empty site", []string{"restore", "--tag", "t", "--site", "", "--type", "W3"}, "an inline resource needs both --site and --type"},
		{"no tag", []string{"restore", "--site", web.name, "--type", "W3"}, "--tag is required"},
		{"no definition", []string{"restore", "--tag", "t"}, "no resource definition"},
		{"bad resource file", []string{"restore", "--tag", "iis-www1", "--config", badConfig}, "bad.toml:3: key resource.site: missing or empty site name"},
		{"tag not in the file", []string{"restore", "--tag", "nope", "--config", "../../internal/config/testdata/good.toml"}, `tag "nope" is not defined`},
		{"password on the command line", []string{"restore", "--tag", "t", "--site", web.name, "--type", "FTP", "--ftp-password", "s3cret"}, "flag provided but not defined: -ftp-password"},
		{"stray argument", []string{"restore", "--tag", "t", "--site", web.name, "--type", "W3", "now"}, `unexpected argument "now"`},
		{"bad duration", []string{"restore", "--tag", "t", "--site", web.name, "--type", "W3", "--timeout", "-1s"}, "--timeout must be longer than zero"},
		{"bad platform", []string{"restore", "--tag", "t", "--site", web.name, "--type", "W3", "--platform", "solaris"}, "unknown platform"},
		{"unknown command", []string{"restart"}, `unknown command "restart"`},
		{"bad url", []string{"deepcheck", "--tag", "t", "--site", web.name, "--type", "W3", "--url", "ftp://x/"}, `url "ftp://x/": want a path`},
		{"bad expect-status", []string{"deepcheck", "--tag", "t", "--site", web.name, "--type", "W3", "--expect-status", "ok"}, `--expect-status: expect_status "ok"`},
		{"ftp_tls on W3, as the resource file rejects it", []string{"deepcheck", "--tag", "t", "--site", web.name, "--type", "W3", "--ftp-tls", "on"}, "--ftp-tls: ftp_tls on a W3 resource"},
		{"deep_smtp on W3", []string{"deepcheck", "--tag", "t", "--site", web.name, "--type", "W3", "--deep-smtp"}, "--deep-smtp: deep_smtp on a W3 resource"},
		{"FTP user on W3", []string{"deepcheck", "--tag", "t", "--site", web.name, "--type", "W3", "--ftp-user", "probe"}, "--ftp-user: FTP credentials on a W3 resource"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := lab.run(tc.args...)
			if r.code != 2 || !strings.Contains(r.stderr, tc.msg) || len(r.events) != 0 {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", r.code, r.stderr, tc.msg)
			}
			if strings.Contains(r.stderr, "s3cret") {
				t.Error("the password was echoed")
			}
		})
	}
	// Nothing changed: the site is still stopped.
	lab.run(w3Args("quickcheck", web.name)...).expectLines(t, lab, 1, wwwFx.Line(9704, "Stopped"))
}

// TestUnreachableLab: no lab host is a fault each action's first step meets and reports
// with its SPEC event (restore still closing with 9408), exit 1, quickly, not a hang. $SYS
// is the host part of the lab's URL, the machine that was asked.
func TestUnreachableLab(t *testing.T) {
	t.Parallel()
	env := []string{"IISKIT_LAB=http://127.0.0.1:9", "IISKIT_LOCK_DIR=" + t.TempDir()} // nothing listens on discard
	fx := eventtest.Fixture{Tag: "iis-www1", Site: web.name, Service: "W3SVC", SiteType: "W3 site", System: "127.0.0.1"}
	tests := []struct {
		args []string
		want []string
	}{
		{w3Args("quickcheck", web.name), []string{fx.Line(9705, 0)}},                         // Q1: the state could not be read
		{w3Args("deepcheck", web.name), []string{fx.Line(9705, 0)}},                          // Q1
		{w3Args("restore", web.name), []string{fx.Line(9414), fx.Line(9408)}},                // R1, then R8
		{w3Args("remove", web.name), []string{fx.Line(9557, "UNKNOWN")}},                     // M1
		{w3Args("recover", web.name, "--timeout", "2s"), []string{fx.Line(9607, "UNKNOWN")}}, // C1 waits up to its deadline
	}
	for _, tc := range tests {
		t.Run(tc.args[0], func(t *testing.T) {
			r := runIISKit(t, env, tc.args...)
			r.expectLines(t, nil, 1, tc.want...)
			if !strings.Contains(r.stderr, "127.0.0.1:9") || r.elapsed > 20*time.Second {
				t.Errorf("after %v, stderr %q; want the lab's address named, quickly", r.elapsed, r.stderr)
			}
		})
	}
}

// TestPerTagLock: a second action on the same tag waits for the first, up to its own
// deadline (SPEC S4); another tag does not wait.
func TestPerTagLock(t *testing.T) {
	t.Parallel()
	lab := startLab(t, web)
	lab.ctl("service", "W3SVC", "state", "Stopped")
	lab.ctl("service", "W3SVC", "on-start", "hang")
	first := make(chan result, 1)
	go func() { first <- lab.run(w3Args("restore", web.name, "--timeout", "4s")...) }()
	// Wait until the first action holds the lock: the service it started is pending.
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := lab.run("lab", "status", "--json")
		if strings.Contains(r.stdout, "StartPending") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the first restore never started the service")
		}
		time.Sleep(20 * time.Millisecond) // polling an external process's state
	}
	second := lab.run(w3Args("quickcheck", web.name, "--timeout", "500ms")...)
	if !strings.Contains(second.stderr, "another iiskit action on this resource is still running") {
		t.Errorf("second action: stderr %q", second.stderr)
	}
	second.expect(t, 1, 9804) // the wait is an event too, not only a line on stderr
	other := lab.run(append([]string{"quickcheck", "--tag", "iis-other", "--site", web.name, "--type", "W3", "--timeout", "2s"}, fast...)...)
	// Had it waited for the held lock, it would have given up after 2 s without an event;
	// it ran at once: StartPending passes Q1, and the stopped site fails Q3.
	other.expectLines(t, lab, 1, eventtest.Fixture{Tag: "iis-other", Site: web.name, Service: "W3SVC", SiteType: "W3 site", System: "E2E-NODE"}.Line(9704, "Stopped"))
	(<-first).expectLines(t, lab, 1, wwwFx.Line(9409, "START_PENDING"), wwwFx.Line(9408))
}
