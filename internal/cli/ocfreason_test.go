package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/iiskit/iiskit/internal/adapter/ocf"
)

// TestOCFReasonsNameParameters checks that a bad definition's ocf-exit-reason calls each
// setting by its OCF parameter name (what the administrator set), never by the flag it
// becomes; every parameter has at least one case.
func TestOCFReasonsNameParameters(t *testing.T) {
	none := filepath.Join(t.TempDir(), "none.toml")
	base := map[string]string{
		"OCF_RESOURCE_INSTANCE": "iis1",
		"OCF_RESKEY_site":       "www1",
		"OCF_RESKEY_type":       "W3",
		"OCF_RESKEY_platform":   "lab",
		"OCF_RESKEY_lab":        "http://127.0.0.1:1", // never reached but by the lab case
		"IISKIT_LOCK_DIR":       t.TempDir(),
	}
	cases := []struct {
		param  string
		env    map[string]string
		code   int
		reason string // the whole ocf-exit-reason, or with a trailing "..." its start
	}{
		{"tag", map[string]string{"OCF_RESKEY_tag": "t\x01"}, 6, "tag: tag contains the control character U+0001 at byte 1"},
		{"site", map[string]string{"OCF_RESKEY_site": ""}, 6, "an inline resource needs both site and type"},
		{"site", map[string]string{"OCF_RESKEY_site": "a\x7fb"}, 6, "site: site name contains the control character U+007F at byte 1"},
		{"type", map[string]string{"OCF_RESKEY_type": "XX"}, 6, `type: unknown service type "XX"...`},
		{"type", map[string]string{"OCF_RESKEY_type": ""}, 6, "an inline resource needs both site and type"},
		{"config", map[string]string{"OCF_RESKEY_site": "", "OCF_RESKEY_type": ""}, 6, "no resource definition: give site and type, or config FILE (or $IISKIT_CONFIG)"},
		// A resource file missing on this node: 5 (this node only), not 6 (SPEC-less OCF
		// guidance: an unreadable configuration file is OCF_ERR_INSTALLED).
		{"config", map[string]string{"OCF_RESKEY_site": "", "OCF_RESKEY_type": "", "OCF_RESKEY_config": none}, 5, "config: " + none + ": cannot read the resource file..."},
		{"ftp_user", map[string]string{"OCF_RESKEY_ftp_user": "u"}, 6, "ftp_user: FTP credentials on a W3 resource"},
		{"ftp_password_file", map[string]string{"OCF_RESKEY_ftp_password_file": "/pw"}, 6, "ftp_password_file: FTP credentials on a W3 resource"},
		{"platform", map[string]string{"OCF_RESKEY_platform": "beos"}, 6, `platform "beos": unknown platform (want windows or lab)`},
		{"lab", nil, 1, "connecting to the lab platform...http://127.0.0.1:1"},
		{"retry_interval", map[string]string{"OCF_RESKEY_retry_interval": "soon"}, 6, `retry_interval: invalid value "soon": time: invalid duration "soon"`},
		{"retry_interval", map[string]string{"OCF_RESKEY_retry_interval": "0s"}, 6, "retry_interval must be longer than zero"},
		{"probe_timeout", map[string]string{"OCF_RESKEY_probe_timeout": "-1s"}, 6, "probe_timeout must be longer than zero"},
		{"url", map[string]string{"OCF_RESKEY_url": "ftp://x/"}, 6, `url: url "ftp://x/": want a path starting with / or an http(s) URL`},
		{"expect_status", map[string]string{"OCF_RESKEY_expect_status": "ok"}, 6, "expect_status: ..."},
		{"probe_unassigned_via", map[string]string{"OCF_RESKEY_probe_unassigned_via": "here"}, 6, "probe_unassigned_via: ..."},
		{"recover_starts_site", map[string]string{"OCF_RESKEY_recover_starts_site": "perhaps"}, 6, `recover_starts_site: "perhaps" is not a boolean...`},
		{"tls_verify", map[string]string{"OCF_RESKEY_tls_verify": "perhaps"}, 6, `tls_verify: "perhaps" is not a boolean...`},
		{"cert_warn_days", map[string]string{"OCF_RESKEY_cert_warn_days": "ten"}, 6, `cert_warn_days: invalid value "ten": invalid syntax`},
		{"cert_warn_days", map[string]string{"OCF_RESKEY_cert_warn_days": "-1"}, 6, "cert_warn_days: must be 0 (off) or a number of days"},
		{"deep_smtp", map[string]string{"OCF_RESKEY_deep_smtp": "yes"}, 6, "deep_smtp: deep_smtp on a W3 resource"},
		{"ftp_tls", map[string]string{"OCF_RESKEY_ftp_tls": "maybe"}, 6, "ftp_tls: ..."},
		{"ftp_tls", map[string]string{"OCF_RESKEY_ftp_tls": "true"}, 6, "ftp_tls: ftp_tls on a W3 resource"},
		{"strict_site_state", map[string]string{"OCF_RESKEY_strict_site_state": "perhaps"}, 6, `strict_site_state: "perhaps" is not a boolean...`},
		{"probe_host_label", map[string]string{"OCF_RESKEY_probe_host_label": "*.x"}, 6, `probe_host_label: "*.x": want one or more host name labels ...`},
		{"app_pools", map[string]string{"OCF_RESKEY_app_pools": "Shop,a\x01b"}, 6, "app_pools: pool name contains the control character U+0001 at byte 1"},
	}
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.param] = true
		t.Run(c.param, func(t *testing.T) {
			code, _, stderr := ocfRun(t, base, c.env, "monitor")
			var reasons []string
			for _, l := range strings.Split(stderr, "\n") {
				if r, ok := strings.CutPrefix(l, "ocf-exit-reason:"); ok {
					reasons = append(reasons, r)
				}
			}
			if code != c.code || len(reasons) != 1 {
				t.Fatalf("exit %d, want %d with one ocf-exit-reason:\n%s", code, c.code, stderr)
			}
			got := reasons[0]
			if !matchReason(got, c.reason) {
				t.Errorf("reason %q, want %q", got, c.reason)
			}
			if strings.Contains(got, "--") {
				t.Errorf("reason %q names a flag", got)
			}
			if !strings.Contains(got, c.param) && c.param != "lab" {
				t.Errorf("reason %q does not name parameter %s", got, c.param)
			}
		})
	}
	for _, p := range ocf.Params() {
		if !covered[p.Name] {
			t.Errorf("no case for parameter %s", p.Name)
		}
	}
}

// matchReason reports whether got is want, or, where want has "...", has its parts in order
// (the first at the start).
func matchReason(got, want string) bool {
	parts := strings.Split(want, "...")
	if len(parts) == 1 {
		return got == want
	}
	if !strings.HasPrefix(got, parts[0]) {
		return false
	}
	rest := got[len(parts[0]):]
	for _, p := range parts[1:] {
		i := strings.Index(rest, p)
		if i < 0 {
			return false
		}
		rest = rest[i+len(p):]
	}
	return true
}
