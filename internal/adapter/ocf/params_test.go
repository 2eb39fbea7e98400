package ocf

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/invocation"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestRequest(t *testing.T) {
	req, err := Request(env(map[string]string{
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
	for key, want := range map[string]string{"tag": "grp-iis", "site": "Default Web Site", "type": "w3", "lab": "http://127.0.0.1:7780",
		"retry_interval": "250ms", "url": "-/health", "tls_verify": "yes", "cert_warn_days": "30", "deep_smtp": "off", "strict_site_state": "1"} {
		if got := req.Value(key); got != want || !req.Given(key) {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
	for _, key := range []string{"timeout", "config", "ftp_user", "platform"} {
		if req.Given(key) {
			t.Errorf("%s given: %q", key, req.Value(key))
		}
	}
}

func TestRequestTag(t *testing.T) {
	req, err := Request(env(map[string]string{"OCF_RESOURCE_INSTANCE": "rsc", "OCF_RESKEY_tag": "iis-www1"}))
	if err != nil || req.Value("tag") != "iis-www1" {
		t.Errorf("tag parameter: %v", err)
	}
	if _, err := Request(env(nil)); !errors.Is(err, ErrNoTag) {
		t.Errorf("no tag and no instance: %v, want ErrNoTag", err)
	}
}

// TestParamsMatchFlags: every parameter names a distinct option or setting whose flag is
// spelled as the parameter with dashes, so an administrator can read one from the other.
func TestParamsMatchFlags(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range Params() {
		flag := strings.TrimPrefix(invocation.FlagNames(p.Key), "--")
		want := strings.ReplaceAll(p.Name, "_", "-")
		if p.Name == "app_pools" {
			want = "app-pool" // CLI.md: one --app-pool per pool, the parameter a list
		}
		if flag != want || seen[flag] {
			t.Errorf("parameter %s → flag %s", p.Name, flag)
		}
		seen[flag] = true
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
	}{{"", Quick, false}, {"0", Quick, false}, {"5", Quick, true}, {"10", Deep, false}, {"20", Deep, true}, {" 10 ", Deep, false}, {"x", Quick, true}, {"-1", Quick, true},
		{"99999999999999999999", Deep, true}, {"-99999999999999999999", Quick, true}} {
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
		// Beyond MaxTimeout (a week), up to any number of digits: clamped, never wrapped.
		{"9223372036854775807", MaxTimeout - 5*time.Second, true, false},
		{"99999999999999999999999", MaxTimeout - 5*time.Second, true, false},
		{"-99999999999999999999999", 0, false, true},
	} {
		d, ok, err := Deadline(c.in)
		if d != c.want || ok != c.ok || (err != nil) != c.err {
			t.Errorf("Deadline(%q) = %v, %v, %v", c.in, d, ok, err)
		}
	}
}

func TestParseAction(t *testing.T) {
	for _, s := range []string{"start", "stop", "monitor", "validate-all", "meta-data", "usage"} {
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

func TestParamName(t *testing.T) {
	for _, p := range Params() {
		if got := ParamName(p.Key); got != p.Name {
			t.Errorf("ParamName(%q) = %q; want %q", p.Key, got, p.Name)
		}
	}
	// The action's deadline comes from Pacemaker's timeout, never from a flag.
	if got := ParamName("timeout"); got != "CRM_meta_timeout" {
		t.Errorf("ParamName(timeout) = %q", got)
	}
}

// TestUnknownParams: what Pacemaker itself passes is never unknown (crm_resource
// --validate -r on Pacemaker 2.1.5 passes OCF_RESKEY_crm_feature_set, seen in the
// cluster test); its case matters, as in the CIB.
func TestUnknownParams(t *testing.T) {
	got := UnknownParams([]string{"OCF_RESKEY_site=a", "OCF_RESKEY_sitee=b", "OCF_RESKEY_CRM_meta_timeout=1", "PATH=/bin",
		"OCF_RESKEY_Tag=c", "OCF_RESOURCE_INSTANCE=x", "OCF_RESKEY_tls_verify=yes", "OCF_RESKEY_crm_feature_set=3.16.2",
		"OCF_RESKEY_CRM_FEATURE_SET=3.16.2"})
	if !slices.Equal(got, []string{"CRM_FEATURE_SET", "Tag", "sitee"}) {
		t.Errorf("unknown parameters %q, want CRM_FEATURE_SET, Tag and sitee", got)
	}
}

// TestRequestAppPools: the comma-separated app_pools parameter is one item per pool; a
// value that names none ("," — an empty parameter is unset to Pacemaker) turns the pool
// checks off.
func TestRequestAppPools(t *testing.T) {
	for v, want := range map[string][]string{
		"Shop":        {"Shop"},
		"Shop, Api ,": {"Shop", "Api"},
		",":           {},
	} {
		e := map[string]string{"OCF_RESOURCE_INSTANCE": "rsc", "OCF_RESKEY_site": "s", "OCF_RESKEY_type": "W3", "OCF_RESKEY_app_pools": v}
		req, err := Request(env(e))
		if err != nil {
			t.Fatal(err)
		}
		inv, err := invocation.Resolve(context.Background(), req, time.Minute, env(e))
		if err != nil {
			t.Fatal(err)
		}
		got := inv.Resource.Options.AppPools
		if got == nil || !slices.Equal(got, want) {
			t.Errorf("app_pools=%q: %#v, want %#v", v, got, want)
		}
	}
}
