package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestMessages(t *testing.T) {
	t.Parallel()
	r := runIISKit(t, nil, "messages")
	if r.code != 0 || !strings.Contains(r.stdout, "9705 Error       Checking LifeKeeper resource \"$TAGNAME\".") ||
		!strings.Contains(r.stdout, "9407 Information Restore resource $TAGNAME End: Successful") {
		t.Errorf("messages: exit %d\n%s", r.code, r.stdout)
	}
	r = runIISKit(t, nil, "messages", "--json")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	var ids []int
	for _, l := range lines {
		var m struct {
			ID       int    `json:"id"`
			Severity string `json:"severity"`
			Text     string `json:"text"`
		}
		if err := json.Unmarshal([]byte(l), &m); err != nil || m.Text == "" || m.Severity == "" {
			t.Fatalf("line %q: %v", l, err)
		}
		ids = append(ids, m.ID)
	}
	if r.code != 0 || len(ids) < 26 || ids[0] != 9407 {
		t.Errorf("messages --json: exit %d, ids %v", r.code, ids)
	}
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
	}{
		{"http answers", nil, []string{"W3", lab.IP, "8080"}, 0},
		{"wrong number of arguments", nil, []string{"W3", lab.IP}, 1},
		{"not an IP address", nil, []string{"W3", "web.example", "8080"}, 1},
		{"unknown flag is an argument error", nil, []string{"--bogus", "W3", lab.IP, "8080"}, 1},
		{"ftp anonymous is refused", nil, []string{"FTP", lab.IP, "2121"}, 3},
		{"ftp user probe logs in", []string{"IISKIT_FTP_PASSWORD=probe"}, []string{"--ftp-user", "probe", "FTP", lab.IP, "2121"}, 0},
		{"nothing listening", nil, []string{"W3", lab.IP, "8099"}, 4},
		{"silent after accept", nil, []string{"--probe-timeout", "300ms", "W3", lab.IP, "8082"}, 6},
		{"smtp answers EHLO", nil, []string{"SMTP", lab.IP, "2525"}, 0},
		{"smtp nothing listening", nil, []string{"SMTP", lab.IP, "2599"}, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runIISKit(t, append(lab.env, tc.env...), append([]string{"pollsite"}, tc.args...)...)
			if r.code != tc.code {
				t.Errorf("pollsite %q: exit %d, want %d\n%s%s", tc.args, r.code, tc.code, r.stdout, r.stderr)
			}
			if strings.Contains(r.stdout+r.stderr, "probe\r") || strings.Contains(r.stderr, "PASS probe") {
				t.Error("the password was printed")
			}
		})
	}
}
