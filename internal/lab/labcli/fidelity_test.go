package labcli

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/iiskit/iiskit/internal/lab"
	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/lab/labtest"
)

// TestFidelityVerbs: the verbs of CLI.md's "Lab additions": five site states (per type on
// a dual site), a service's pending delay, and service requests, each shown by status.
func TestFidelityVerbs(t *testing.T) {
	ip := labtest.IP(t)
	cfg := labtest.WriteConfig(t, labtest.Site{Name: "Both", ID: 1, Bindings: []string{"http/" + ip + ":8080:", "ftp/" + ip + ":2121:"}})
	srv := labtest.Start(t, lab.Options{ConfigFile: cfg})
	steps := []struct {
		args     []string
		wantCode int
		wantOut  string
	}{
		{[]string{"site", "Both", "state", "Stopping", "--type", "FTP"}, 0, `site "Both" is now Stopping (FTP)`},
		{[]string{"site", "Both", "state", "Unknown"}, 0, `site "Both" is now Unknown (W3, FTP)`},
		{[]string{"site", "Both", "state", "Starting", "--type", "W3"}, 0, `site "Both" is now Starting (W3)`},
		{[]string{"site", "Both", "state", "Paused"}, 2, "want Started, Starting, Stopped, Stopping or Unknown"},
		{[]string{"site", "Both", "on-stop", "ok", "--type", "W3"}, 2, "--type belongs to"},
		{[]string{"service", "FTPSVC", "pending", "2s"}, 0, "service FTPSVC pending 2s"},
		{[]string{"service", "FTPSVC", "pending", "soon"}, 2, "want a duration"},
		{[]string{"service", "FTPSVC", "pending", "--", "-2s"}, 2, "want a duration"},
		{[]string{"service", "SMTPSVC", "stop"}, 0, "service SMTPSVC stop requested; now Stopped"},
		{[]string{"service", "SMTPSVC", "continue"}, 1, "cannot accept a continue request while it is Stopped"},
		{[]string{"service", "SMTPSVC", "start"}, 0, "now Running"},
		{[]string{"service", "W3SVC", "state", "Paused"}, 0, "W3SVC is now Paused"},
		{[]string{"service", "W3SVC", "continue"}, 0, "service W3SVC continue requested; now Running"},
		{[]string{"service", "W3SVC", "start", "now"}, 2, "takes 0 argument(s)"},
		{[]string{"service", "W3SVC", "pause"}, 2, `unknown service verb "pause"`},
	}
	for _, st := range steps {
		code, out, errOut := run(t, srv.URL(), st.args...)
		text := out
		if st.wantCode != 0 {
			text = errOut
		}
		if code != st.wantCode || !strings.Contains(text, st.wantOut) {
			t.Fatalf("%q: exit %d, stdout %q, stderr %q; want exit %d and %q", st.args, code, out, errOut, st.wantCode, st.wantOut)
		}
	}
	code, out, _ := run(t, srv.URL(), "status")
	for _, want := range []string{"PENDING", "FTPSVC   FTP   Running  ok        2s", `"Both"  W3,FTP  1   W3:Starting FTP:Unknown`} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("status: exit %d, no %q in\n%s", code, want, out)
		}
	}
	code, out, _ = run(t, srv.URL(), "status", "--json")
	var raw struct {
		Services []map[string]string `json:"services"`
		Sites    []struct {
			State  string            `json:"state"`
			States map[string]string `json:"states"`
		} `json:"sites"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &raw) != nil {
		t.Fatalf("status --json: %d %s", code, out)
	}
	if got := fmt.Sprintf("%s %s %v", raw.Services[1]["pending"], raw.Sites[0].State, raw.Sites[0].States); got != "2s Starting map[FTP:Unknown W3:Starting]" {
		t.Errorf("status --json: %s", got)
	}
	var st labapi.Status
	if err := json.Unmarshal([]byte(out), &st); err != nil || st.Services[1].Pending.String() != "2s" {
		t.Errorf("status --json does not read back: %v %+v", err, st.Services)
	}
}
