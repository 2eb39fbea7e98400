package ocf

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestFlags(t *testing.T) {
	got, err := Flags(env(map[string]string{
		"OCF_RESOURCE_INSTANCE":              "grp-iis",
		"OCF_RESKEY_site":                    "Default Web Site",
		"OCF_RESKEY_type":                    "w3",
		"OCF_RESKEY_lab":                     "http://127.0.0.1:7780",
		"OCF_RESKEY_retry_interval":          "250ms",
		"OCF_RESKEY_tls_verify":              "yes",
		"OCF_RESKEY_deep_smtp":               "off",
		"OCF_RESKEY_cert_warn_days":          "30",
		"OCF_RESKEY_url":                     "-/health",
		"OCF_RESKEY_strict_site_state":       "1",
		"OCF_RESKEY_CRM_meta_timeout":        "20000",
		"OCF_RESKEY_unknown_to_this_adapter": "x",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"--tag=grp-iis", "--site=Default Web Site", "--type=w3", "--lab=http://127.0.0.1:7780",
		"--retry-interval=250ms", "--url=-/health", "--tls-verify=true", "--cert-warn-days=30",
		"--deep-smtp=false", "--strict-site-state=true"}
	if !slices.Equal(got, want) {
		t.Errorf("flags\n%q\nwant\n%q", got, want)
	}
}

func TestFlagsTag(t *testing.T) {
	got, err := Flags(env(map[string]string{"OCF_RESOURCE_INSTANCE": "rsc", "OCF_RESKEY_tag": "iis-www1"}))
	if err != nil || !slices.Equal(got, []string{"--tag=iis-www1"}) {
		t.Errorf("tag parameter: %q, %v", got, err)
	}
	if _, err := Flags(env(nil)); !errors.Is(err, ErrNoTag) {
		t.Errorf("no tag and no instance: %v, want ErrNoTag", err)
	}
	if _, err := Flags(env(map[string]string{"OCF_RESOURCE_INSTANCE": "rsc", "OCF_RESKEY_tls_verify": "maybe"})); err == nil || !strings.Contains(err.Error(), "tls_verify") {
		t.Errorf("bad boolean: %v, want an error naming the parameter", err)
	}
}

// TestParamsMatchFlags: every parameter names a distinct flag, spelled as the parameter
// with dashes, so an administrator can read one from the other; app_pools, a list, is
// CLI.md's repeatable --app-pool.
func TestParamsMatchFlags(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range Params {
		want := strings.ReplaceAll(p.Name, "_", "-")
		if p.Name == "app_pools" {
			want = "app-pool"
		}
		if p.Flag != want || seen[p.Flag] {
			t.Errorf("parameter %s → flag %s", p.Name, p.Flag)
		}
		seen[p.Flag] = true
		if p.Short == "" || p.Long == "" || p.Type == "" {
			t.Errorf("parameter %s lacks a description or type", p.Name)
		}
	}
}

func TestParseLevel(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Level
		warn bool
	}{{"", Quick, false}, {"0", Quick, false}, {"5", Quick, true}, {"10", Deep, false}, {"20", Deep, true}, {" 10 ", Deep, false}, {"x", Quick, true}, {"-1", Quick, true}} {
		l, w := ParseLevel(c.in)
		if l != c.want || (w != "") != c.warn {
			t.Errorf("ParseLevel(%q) = %d, %q; want %d, warning %v", c.in, l, w, c.want, c.warn)
		}
	}
	if Command(Monitor, Quick) != "quickcheck" || Command(Monitor, Deep) != "deepcheck" || Command(Start, Deep) != "restore" || Command(Stop, Quick) != "remove" || Command(ValidateAll, Deep) != "" {
		t.Error("Command maps the OCF actions wrongly")
	}
}

func TestDeadline(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Duration
		ok   bool
		err  bool
	}{
		{"", 0, false, false},
		{"20000", 18 * time.Second, true, false},   // a tenth
		{"120000", 115 * time.Second, true, false}, // at most 5 s
		{"3000", 2500 * time.Millisecond, true, false},
		{"800", 400 * time.Millisecond, true, false}, // half of a very short one
		{"0", 0, false, true},
		{"20s", 0, false, true},
	} {
		d, ok, err := Deadline(c.in)
		if d != c.want || ok != c.ok || (err != nil) != c.err {
			t.Errorf("Deadline(%q) = %v, %v, %v", c.in, d, ok, err)
		}
	}
}

func TestParseAction(t *testing.T) {
	for _, s := range []string{"start", "stop", "monitor", "validate-all", "meta-data"} {
		if a, err := ParseAction(s); err != nil || string(a) != s {
			t.Errorf("ParseAction(%q) = %q, %v", s, a, err)
		}
	}
	for _, s := range []string{"", "status", "promote", "START", "reload"} {
		if _, err := ParseAction(s); err == nil {
			t.Errorf("ParseAction(%q) accepted", s)
		}
	}
}

// TestAgentScript runs the installed agent for a program whose path holds a quote, a
// space and a dollar: it must be run with exactly `ocf ACTION`.
func TestAgentScript(t *testing.T) {
	dir := filepath.Join(t.TempDir(), `it's $HOME`)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "fake iiskit")
	if err := os.WriteFile(exe, []byte("#!/bin/sh\nprintf '%s|' \"$@\"\nexit 7\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	agent := filepath.Join(dir, "iis")
	if err := os.WriteFile(agent, AgentScript(exe), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(agent, "monitor", "ignored").Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 7 {
		t.Fatalf("agent: %v, want the program's exit code 7", err)
	}
	if string(out) != "ocf|monitor|" {
		t.Errorf("program ran with %q, want ocf|monitor|", out)
	}
}

func TestParamOf(t *testing.T) {
	for _, p := range Params {
		if got, ok := ParamOf(p.Flag); !ok || got != p.Name {
			t.Errorf("ParamOf(%q) = %q, %v; want %q", p.Flag, got, ok, p.Name)
		}
	}
	if got, ok := ParamOf("timeout"); ok {
		t.Errorf("ParamOf(timeout) = %q: no parameter becomes --timeout", got)
	}
}

// TestFlagsAppPools: the comma-separated app_pools parameter becomes one --app-pool per
// pool; a value naming none turns the pool checks off.
func TestFlagsAppPools(t *testing.T) {
	for v, want := range map[string][]string{
		"Shop":             {"--app-pool=Shop"},
		"Shop, Api ,":      {"--app-pool=Shop", "--app-pool=Api"},
		",":                {"--app-pool="},
		"Default App Pool": {"--app-pool=Default App Pool"},
	} {
		got, err := Flags(env(map[string]string{"OCF_RESOURCE_INSTANCE": "rsc", "OCF_RESKEY_app_pools": v}))
		if err != nil || !slices.Equal(got, append([]string{"--tag=rsc"}, want...)) {
			t.Errorf("app_pools=%q: %q, %v; want %q", v, got, err, want)
		}
	}
}
