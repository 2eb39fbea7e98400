package labcli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/lab"
	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/lab/labtest"
)

// webPort is where the fixture's web site listens, on the test's own address.
const webPort = 8080

// fixture writes an applicationHost.config with one W3 site on ip:webPort.
func fixture(t *testing.T, ip string) string {
	t.Helper()
	return labtest.WriteConfig(t, labtest.Site{Name: "Web One", ID: 1, Bindings: []string{fmt.Sprintf("http/%s:%d:", ip, webPort)}})
}

func startLab(t *testing.T, ip string) *lab.Server {
	t.Helper()
	return labtest.Start(t, lab.Options{ConfigFile: fixture(t, ip), PendingDelay: 20 * time.Millisecond})
}

// run runs Main with $IISKIT_LAB set to url.
func run(t *testing.T, url string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		if k == "IISKIT_LAB" {
			return url
		}
		return ""
	}
	code = Main(context.Background(), args, getenv, &out, &errb)
	return code, out.String(), errb.String()
}

func TestVerbs(t *testing.T) {
	ip := labtest.IP(t)
	srv := startLab(t, ip)
	const hostile = `Évil "site"; $(rm -rf /) & %TEMP% \\share`
	steps := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string // substring of stdout (exit 0) or stderr (otherwise)
	}{
		{"status", []string{"status"}, 0, `"Web One"`},
		{"service state", []string{"service", "FTPSVC", "state", "Paused"}, 0, "FTPSVC is now Paused"},
		{"service on-start", []string{"service", "W3SVC", "on-start", "fail"}, 0, "on-start fail"},
		{"site add, flags after", []string{"site", hostile, "add", "--type", "W3", "--binding", fmt.Sprintf("http/%s:8081:", ip), "--id=9"}, 0, "id 9"},
		{"site add, flags before", []string{"site", "--type", "FTP", "--stopped", "--binding", fmt.Sprintf("ftp/%s:2121:", ip), "Files", "add"}, 0, "Stopped"},
		{"site state", []string{"site", hostile, "state", "Stopped"}, 0, "now Stopped"},
		{"site on-start", []string{"site", hostile, "on-start", "ignore"}, 0, "on-start ignore"},
		{"site on-stop", []string{"site", hostile, "on-stop", "ignore"}, 0, "on-stop ignore"},
		{"site respond", []string{"site", "Web One", "respond", "http-500"}, 0, "respond http-500"},
		{"site delete", []string{"site", "Files", "delete"}, 0, "deleted"},
		{"no verb", nil, 2, "usage"},
		{"unknown verb", []string{"reboot"}, 2, `unknown verb "reboot"`},
		{"unknown flag", []string{"status", "--yaml"}, 2, "unknown flag"},
		{"unknown site", []string{"site", "Nope", "state", "Started"}, 2, `"Nope" does not exist`},
		{"unknown service", []string{"service", "IISADMIN", "state", "Running"}, 2, "not installed"},
		{"malformed binding", []string{"site", "X", "add", "--type", "W3", "--binding", "http/127.0.0.1:80"}, 2, "binding"},
		{"non-loopback binding", []string{"site", "X", "add", "--type", "W3", "--binding", "http/192.0.2.1:80:"}, 2, "loopback"},
		{"bad respond mode", []string{"site", "Web One", "respond", "sulk"}, 2, "respond mode"},
		{"missing argument", []string{"site", "Web One", "state"}, 2, "takes 1 argument"},
		{"add without binding", []string{"site", "X", "add", "--type", "W3"}, 2, "--binding"},
		{"start of a site whose service is stopped", []string{"service", "W3SVC", "state", "Stopped"}, 0, "Stopped"},
		{"forced start refused", []string{"site", "Web One", "state", "Started"}, 1, "W3SVC is Stopped"},
	}
	for _, st := range steps {
		code, out, errOut := run(t, srv.URL(), st.args...)
		text := out
		if st.wantCode != 0 {
			text = errOut
		}
		if code != st.wantCode || !strings.Contains(text, st.wantOut) {
			t.Fatalf("%s: exit %d, stdout %q, stderr %q; want exit %d and %q", st.name, code, out, errOut, st.wantCode, st.wantOut)
		}
	}

	code, out, _ := run(t, srv.URL(), "status", "--json")
	var st labapi.Status
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil {
		t.Fatalf("status --json: %d %q", code, out)
	}
	var found bool
	for _, s := range st.Sites {
		if s.Name == hostile {
			found = s.ID == 9 && s.OnStart == "ignore" && s.OnStop == "ignore"
		}
	}
	if !found || st.Hostname != "LABHOST" {
		t.Errorf("status --json lost the hostile site or its settings: %+v", st)
	}
	// --lab overrides $IISKIT_LAB, after the verb or before it.
	for _, args := range [][]string{{"status", "--lab", srv.URL()}, {"--lab", srv.URL(), "status"}, {"--lab=" + srv.URL(), "site", "Web One", "respond", "ok"}} {
		if code, _, errOut := run(t, "http://127.0.0.1:1", args...); code != 0 {
			t.Errorf("%v: exit %d, %s", args, code, errOut)
		}
	}
}

func TestUnreachable(t *testing.T) {
	url := "http://" + labtest.IP(t) + ":7780" // an address of this test's own, where nothing listens
	for _, args := range [][]string{{"status"}, {"site", "Web", "state", "Started"}, {"service", "W3SVC", "on-start", "ok"}} {
		code, _, errOut := run(t, url, args...)
		if code != 1 || !strings.Contains(errOut, url) || !strings.Contains(errOut, "not running or not reachable") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
}

func TestServe(t *testing.T) {
	ip := labtest.IP(t)
	cfg := fixture(t, ip)
	addrFile := filepath.Join(t.TempDir(), "lab.addr")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut labtest.Buffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"serve", "--listen", "127.0.0.1:0", "--config", cfg, "--hostname", "WIN-LAB", "--addr-file", addrFile}, func(string) string { return "" }, &out, &errOut)
	}()
	deadline := time.Now().Add(10 * time.Second)
	var url string
	for url == "" {
		if line, ok := strings.CutPrefix(out.String(), labtest.ReadyPrefix); ok && strings.HasSuffix(line, "\n") {
			url = strings.TrimSpace(line)
		}
		select {
		case code := <-done:
			t.Fatalf("serve ended early: %d, %s", code, errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve printed nothing: %q %q", out.String(), errOut.String())
		}
		time.Sleep(5 * time.Millisecond) // a poll interval
	}
	if strings.HasSuffix(url, ":0") {
		t.Fatalf("serve printed port 0: %s", url)
	}
	if b, err := os.ReadFile(addrFile); err != nil || string(b) != url+"\n" {
		t.Fatalf("--addr-file holds %q, %v; want %q", b, err, url+"\n")
	}
	code, status, _ := run(t, url, "status")
	if code != 0 || !strings.Contains(status, "WIN-LAB") || !strings.Contains(status, `"Web One"`) {
		t.Fatalf("status of the served host: %d %q", code, status)
	}
	c, err := net.DialTimeout("tcp", fmt.Sprintf("%s:%d", ip, webPort), time.Second)
	if err != nil {
		t.Fatalf("served site not listening: %v", err)
	}
	c.Close()
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exit %d: %s", code, errOut.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := net.DialTimeout("tcp", fmt.Sprintf("%s:%d", ip, webPort), time.Second); err == nil {
		t.Fatal("site still listening after serve stopped")
	}
}

func TestServeBadOptions(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"listen off loopback", []string{"serve", "--listen", "0.0.0.0:0"}, 2},
		{"missing config", []string{"serve", "--listen", "127.0.0.1:0", "--config", filepath.Join(t.TempDir(), "none.config")}, 2},
		{"stray argument", []string{"serve", "now"}, 2},
		{"address file in a missing folder", []string{"serve", "--listen", "127.0.0.1:0", "--config", labtest.WriteConfig(t), "--addr-file", filepath.Join(t.TempDir(), "none", "lab.addr")}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if code, _, errOut := run(t, "", tc.args...); code != tc.want || errOut == "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
		})
	}
}

// TestPoolVerbs: CLI.md's `lab pool NAME add [--stopped] | state | on-start | crash [N]`
// and `lab site NAME add ... --pool NAME`, with `status --json` showing the pools.
func TestPoolVerbs(t *testing.T) {
	ip := labtest.IP(t)
	srv := startLab(t, ip)
	for _, s := range []struct {
		args     []string
		wantCode int
		want     string
	}{
		{[]string{"pool", "Shop", "add", "--stopped"}, 0, `"Shop" added, Stopped`},
		{[]string{"pool", "Shop", "state", "Started"}, 0, "now Started"},
		{[]string{"pool", "Shop", "on-start", "ignore"}, 0, "on-start ignore"},
		{[]string{"pool", "Shop", "crash"}, 0, "1 worker process failure(s), 1 within"},
		{[]string{"pool", "Shop", "crash", "4"}, 0, "rapid-fail protection stopped the pool"},
		{[]string{"site", "Shop", "add", "--type", "W3", "--binding", fmt.Sprintf("http/%s:8082:", ip), "--pool", "Shop"}, 0, `application pool "Shop"`},
		{[]string{"pool", "Shop", "crash", "two"}, 2, "not a positive number"},
		{[]string{"pool", "Shop", "state"}, 2, "takes 1 argument"},
		{[]string{"pool", "Shop", "recycle"}, 2, `unknown pool verb "recycle"`},
		{[]string{"pool", "Shop", "state", "Started", "--stopped"}, 2, "--stopped belongs to pool NAME add"},
		{[]string{"pool", "Nope", "state", "Started"}, 2, `"Nope" does not exist`},
		{[]string{"site", "X", "add", "--type", "W3", "--binding", fmt.Sprintf("http/%s:8083:", ip), "--pool", "Nope"}, 2, `"Nope" does not exist`},
		{[]string{"site", "Web One", "state", "Started", "--pool", "Shop"}, 2, "--pool and --stopped belong to site NAME add"},
	} {
		code, out, errOut := run(t, srv.URL(), s.args...)
		text := out
		if code != 0 {
			text = errOut
		}
		if code != s.wantCode || !strings.Contains(text, s.want) {
			t.Errorf("%q: exit %d, %q; want %d with %q", s.args, code, text, s.wantCode, s.want)
		}
	}
	code, out, _ := run(t, srv.URL(), "status", "--json")
	var st struct {
		Pools []struct {
			Name, State string
			Sites       []string
		} `json:"pools"`
		Sites []struct {
			Name  string
			Pools []string `json:"pools"`
		} `json:"sites"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil {
		t.Fatalf("status --json: %d %s", code, out)
	}
	if got := fmt.Sprint(st.Pools); got != "[{Shop Stopped [Shop]}]" {
		t.Errorf("pools %s", got)
	}
	if got := fmt.Sprint(st.Sites); got != "[{Web One []} {Shop [Shop]}]" {
		t.Errorf("sites %s", got)
	}
	if code, out, _ := run(t, srv.URL(), "status"); code != 0 || !strings.Contains(out, "POOL") || !strings.Contains(out, `"Shop"  Stopped`) {
		t.Errorf("status table: %s", out)
	}
}
