package watchcmd

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/iiskit/iiskit/internal/invocation"
)

// TestWatchBadInput: a bad command line or resource file ends `iiskit watch` with exit 2
// and a message naming the file, line and key, before anything starts (nothing listens,
// no event is written).
func TestWatchBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// A mistake on the command line (not in the file) ends with the pointer at the help.
	const seeHelp = "usage: iiskit watch --config FILE [--listen 127.0.0.1:9780] [common flags]; see iiskit watch -h\n"
	const res = "[[resource]]\ntag = \"a\"\nsite = \"A\"\ntype = \"W3\"\n"
	good := write("good.toml", res)
	events := filepath.Join(dir, "events.jsonl")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no config", []string{}, "iiskit watch: --config FILE is required (or $IISKIT_CONFIG)\n" + seeHelp},
		{"unknown key", []string{"--config", write("unknown.toml", "[watch]\nquick = \"1s\"\n"+res)},
			"iiskit watch: " + filepath.Join(dir, "unknown.toml") + ":2: key watch.quick: unknown key\n"},
		{"zero interval", []string{"--config", write("zero.toml", res+"quick_interval = \"0s\"\n")},
			"iiskit watch: " + filepath.Join(dir, "zero.toml") + ":5: key resource.quick_interval: \"0s\" must be longer than zero\n"},
		{"deep shorter than quick", []string{"--config", write("deep.toml", "[watch]\nquick_interval = \"1m\"\ndeep_interval = \"10s\"\n"+res)},
			"iiskit watch: " + filepath.Join(dir, "deep.toml") + ":3: key watch.deep_interval: deep_interval (10s) is shorter than quick_interval (1m0s)\n"},
		{"flap_low above flap_high", []string{"--config", write("flap.toml", "[watch]\nflap_low = 50\nflap_high = 40\n"+res)},
			"iiskit watch: " + filepath.Join(dir, "flap.toml") + ":2: key watch.flap_low: flap_low (50) is above flap_high (40)\n"},
		{"duplicate tag", []string{"--config", write("dup.toml", res+res)},
			"iiskit watch: " + filepath.Join(dir, "dup.toml") + ":6: key resource.tag: duplicate tag \"a\" (first defined in resource 1)\n"},
		{"no resource", []string{"--config", write("empty.toml", "[watch]\n")},
			"iiskit watch: " + filepath.Join(dir, "empty.toml") + ": no [[resource]] to protect\n"},
		{"not loopback", []string{"--config", good, "--listen", "0.0.0.0:9780"},
			"iiskit watch: --listen \"0.0.0.0:9780\" is not a loopback address; add --listen-remote to serve the status page and metrics beyond this machine\n" + seeHelp},
		{"stray argument", []string{"--config", good, "now"}, "iiskit watch: unexpected argument \"now\" (every setting is a flag)\n" + seeHelp},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			args := append([]string{"--events", events}, tc.args...)
			code := Main(context.Background(), args, invocation.Streams{Getenv: func(string) string { return "" }, Stdout: &out, Stderr: &errb})
			if code != 2 || errb.String() != tc.want || out.Len() != 0 {
				t.Errorf("exit %d, stderr %q, stdout %q\nwant exit 2, stderr %q", code, errb.String(), out.String(), tc.want)
			}
			if _, err := os.Stat(events); !os.IsNotExist(err) {
				t.Errorf("the events file exists after a usage error: %v", err)
			}
		})
	}
}

// TestWatchCommonFlagsFromTheTable: the common flags of `iiskit watch` are
// invocation.SettingTable's, as every action's are: the same help line and default, the
// same environment variables, the same values read.
func TestWatchCommonFlagsFromTheTable(t *testing.T) {
	env := map[string]string{"IISKIT_CONFIG": "/etc/iiskit/resources.toml", "IISKIT_LAB": "http://127.0.0.2:7780"}
	getenv := func(k string) string { return env[k] }
	f, err := parseFlags([]string{"--json", "--events", "e.jsonl", "--platform", "lab", "--verbose"},
		invocation.Streams{Getenv: getenv, Stdout: io.Discard, Stderr: io.Discard})
	want := invocation.Settings{Config: "/etc/iiskit/resources.toml", Platform: "lab", Lab: "http://127.0.0.2:7780",
		JSON: true, Events: "e.jsonl", Verbose: true}
	if err != nil || f.settings != want {
		t.Fatalf("settings %+v (%v), want %+v", f, err, want)
	}
	// Each flag is the one an action has: same value type, help line and default.
	watchFS, _ := newFlagSet(&flags{}, getenv)
	actionFS, _ := invocation.NewFlagSet("quickcheck", invocation.Streams{Getenv: getenv, Stdout: io.Discard, Stderr: io.Discard})
	for _, key := range []string{"config", "platform", "lab", "json", "events", "verbose"} {
		st, _ := invocation.SettingByKey(key)
		w, a := watchFS.Lookup(st.Flag), actionFS.Lookup(st.Flag)
		if w == nil || a == nil || w.Usage != a.Usage || w.DefValue != a.DefValue || reflect.TypeOf(w.Value) != reflect.TypeOf(a.Value) {
			t.Errorf("--%s: watch's %+v, an action's %+v", st.Flag, w, a)
		}
	}
	// The help (on stdout) names every flag's type, the table's and the daemon's own alike.
	var help bytes.Buffer
	_, _ = parseFlags([]string{"-h"}, invocation.Streams{Getenv: getenv, Stdout: &help, Stderr: io.Discard})
	for _, want := range []string{"  --config string ", "  --json ", "  --concurrency int ", "  --listen-remote ", "(default 127.0.0.1:9780)"} {
		if !strings.Contains(help.String(), want) {
			t.Errorf("watch -h lacks %q:\n%s", want, help.String())
		}
	}
}
