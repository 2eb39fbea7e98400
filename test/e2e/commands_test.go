package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iiskit/iiskit/internal/event/eventtest"
)

// TestMessages: `iiskit messages` lists the catalogue, each message's ID, severity and
// text template exactly as SPEC §3 writes it, as text and as JSON lines. [ext] messages
// that SPEC §3 does not list (other packages' 98xx) may come in between.
func TestMessages(t *testing.T) {
	t.Parallel()
	r := runIISKit(t, nil, "messages")
	var text []string
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		// "9705 Error       Checking ...": the severity is padded to one column.
		id, rest, _ := strings.Cut(l, " ")
		sev, msg, _ := strings.Cut(strings.TrimLeft(rest, " "), " ")
		text = append(text, fmt.Sprintf("%s %s: %s", sev, id, strings.TrimLeft(msg, " ")))
	}
	checkCatalogue(t, "messages", r.code, text)

	r = runIISKit(t, nil, "messages", "--json")
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var m struct {
			ID       int    `json:"id"`
			Severity string `json:"severity"`
			Text     string `json:"text"`
		}
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		lines = append(lines, fmt.Sprintf("%s %d: %s", m.Severity, m.ID, m.Text))
	}
	checkCatalogue(t, "messages --json", r.code, lines)
}

// checkCatalogue compares listed lines ("Severity ID: template") with SPEC §3's, in order.
func checkCatalogue(t *testing.T, cmd string, code int, listed []string) {
	t.Helper()
	want := eventtest.Templates()
	inSpec := map[string]bool{}
	for _, w := range want {
		inSpec[idOf(w)] = true
	}
	var got []string
	for _, l := range listed {
		if id := idOf(l); inSpec[id] || id < "9800" {
			got = append(got, l)
		}
	}
	if code != 0 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s: exit %d\n%s\nwant\n%s", cmd, code, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// idOf returns the ID of a "Severity ID: text" line.
func idOf(line string) string {
	_, rest, _ := strings.Cut(line, " ")
	id, _, _ := strings.Cut(rest, ":")
	return id
}

// TestPollSite runs `iiskit pollsite` against the lab host: its exit status is the
// result code of SPEC D4.6.
func TestPollSite(t *testing.T) {
	t.Parallel()
	lab := startLab(t, web, ftp, smtp, site{name: "Silent", id: 4, bindings: "http/IP:8082:", autoStart: true})
	lab.ctl("site", "Silent", "respond", "hang")
	tests := []struct {
		name string
		env  []string
		args []string
		code int
		// label is the result's words on the printed line; empty: not checked.
		label string
	}{
		{"http answers", nil, []string{"W3", lab.IP, "8080"}, 0, ""},
		{"wrong number of arguments", nil, []string{"W3", lab.IP}, 1, ""},
		{"not an IP address", nil, []string{"W3", "web.example", "8080"}, 1, ""},
		{"unknown flag is an argument error", nil, []string{"--bogus", "W3", lab.IP, "8080"}, 1, ""},
		{"a url the probe cannot request is an argument error", nil, []string{"--url", "health", "W3", lab.IP, "8080"}, 1, ""},
		{"ftp anonymous is refused", nil, []string{"FTP", lab.IP, "2121"}, 3, ""},
		{"ftp user probe logs in", []string{"IISKIT_FTP_PASSWORD=probe"}, []string{"--ftp-user", "probe", "FTP", lab.IP, "2121"}, 0, ""},
		{"nothing listening", nil, []string{"W3", lab.IP, "8099"}, 4, "4 (no HTTP connection)"},
		{"silent after accept", nil, []string{"--probe-timeout", "300ms", "W3", lab.IP, "8082"}, 6, "6 (no HTTP answer)"},
		{"smtp answers EHLO", nil, []string{"SMTP", lab.IP, "2525"}, 0, ""},
		{"smtp nothing listening", nil, []string{"SMTP", lab.IP, "2599"}, 4, "4 (no SMTP connection)"},
		{"-h documents SMTP's numbers", nil, []string{"-h"}, 0, "no connection to the SMTP server"},
		{"smtp silent after accept", nil, []string{"--probe-timeout", "300ms", "SMTP", lab.IP, "8082"}, 6, "6 (no SMTP answer)"},
		{"ftp silent before the greeting", nil, []string{"--probe-timeout", "300ms", "FTP", lab.IP, "8082"}, 3, "3 (no FTP connection or answer)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Every case is one probe: each gets the short bound of a silent server.
			r := runWithin(t, silentBound, append(lab.env, tc.env...), append([]string{"pollsite"}, tc.args...)...)
			if r.code != tc.code {
				t.Errorf("pollsite %q: exit %d, want %d\n%s%s", tc.args, r.code, tc.code, r.stdout, r.stderr)
			}
			// The result line is on stderr; the help (-h) on stdout.
			if tc.label != "" && !strings.Contains(r.stdout+r.stderr, ": "+tc.label) {
				t.Errorf("pollsite %q: output %q does not say %q", tc.args, r.stdout+r.stderr, tc.label)
			}
			if strings.Contains(r.stdout+r.stderr, "probe\r") || strings.Contains(r.stderr, "PASS probe") {
				t.Error("the password was printed")
			}
		})
	}
}

// TestOCFInstall: `iiskit ocf install` writes DIR/iiskit/iis, mode 0755, execing this very
// binary by its absolute path; the agent then answers meta-data.
func TestOCFInstall(t *testing.T) {
	dir := t.TempDir()
	r := runIISKit(t, nil, "ocf", "install", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("ocf install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	agent := filepath.Join(dir, "iiskit", "iis")
	fi, err := os.Stat(agent)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o755 {
		t.Errorf("agent mode %v, want 0755", fi.Mode().Perm())
	}
	exe, _ := filepath.EvalSymlinks(bin)
	body, _ := os.ReadFile(agent)
	if !strings.Contains(string(body), "exec '"+exe+"' ocf \"$1\"") {
		t.Errorf("the agent does not exec %s:\n%s", exe, body)
	}
	out, err := exec.Command(agent, "meta-data").Output()
	if err != nil || !strings.Contains(string(out), `<resource-agent name="iis"`) {
		t.Errorf("the installed agent's meta-data: %v\n%s", err, out)
	}
}
