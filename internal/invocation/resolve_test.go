package invocation

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/action"
)

// TestFlagsAndFileReachTheSameRules: a definition the resource file refuses is refused on
// the command line too, naming the flag there and the key in the file (one validator).
func TestFlagsAndFileReachTheSameRules(t *testing.T) {
	tests := []struct {
		name      string
		typ       string
		flags     []string
		key       string
		fileValue string
		msg       string
	}{
		{"ftp_tls on W3", "W3", []string{"--ftp-tls", "on"}, "ftp_tls", `"on"`, "ftp_tls on a W3 resource"},
		{"deep_smtp on W3", "W3", []string{"--deep-smtp"}, "deep_smtp", "true", "deep_smtp on a W3 resource"},
		{"ftp_user on SMTP", "SMTP", []string{"--ftp-user", "probe"}, "ftp_user", `"probe"`, "FTP credentials on a SMTP resource"},
		{"negative cert_warn_days", "W3", []string{"--cert-warn-days", "-1"}, "cert_warn_days", "-1", "must be 0 (off) or a number of days"},
		{"bad url", "W3", []string{"--url", "health"}, "url", `"health"`, `url "health": want a path starting with / or an http(s) URL`},
		{"bad probe address", "W3", []string{"--probe-unassigned-via", "localhost"}, "probe_unassigned_via", `"localhost"`, `"localhost" is not an IP address`},
	}
	s := Streams{Getenv: func(string) string { return "" }, Stdout: io.Discard, Stderr: io.Discard}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := ParseFlags(action.NameQuickCheck, append([]string{"--tag", "t", "--site", "s", "--type", tc.typ}, tc.flags...), s)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Resolve(context.Background(), req, time.Minute, s.Getenv)
			flag := "--" + strings.ReplaceAll(tc.key, "_", "-")
			if err == nil || err.Error() != flag+": "+tc.msg {
				t.Errorf("flags: %v, want %s: %s", err, flag, tc.msg)
			}

			file := filepath.Join(t.TempDir(), "r.toml")
			toml := "[[resource]]\ntag = \"t\"\nsite = \"s\"\ntype = \"" + tc.typ + "\"\n" + tc.key + " = " + tc.fileValue + "\n"
			if err := os.WriteFile(file, []byte(toml), 0o600); err != nil {
				t.Fatal(err)
			}
			req, err = ParseFlags(action.NameQuickCheck, []string{"--tag", "t", "--config", file}, s)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Resolve(context.Background(), req, time.Minute, s.Getenv)
			if err == nil || !strings.HasSuffix(err.Error(), ":5: key resource."+tc.key+": "+tc.msg) {
				t.Errorf("file: %v, want line 5, key resource.%s: %s", err, tc.key, tc.msg)
			}
		})
	}
}

// TestAppPoolFlag: CLI.md's --app-pool NAME, repeatable, with one --app-pool "" turning
// the pool rules off; it overrides the resource file's app_pools, and only W3 has pools.
func TestAppPoolFlag(t *testing.T) {
	s := Streams{Getenv: func(string) string { return "" }, Stdout: io.Discard, Stderr: io.Discard}
	file := filepath.Join(t.TempDir(), "r.toml")
	if err := os.WriteFile(file, []byte("[[resource]]\ntag = \"t\"\nsite = \"s\"\ntype = \"W3\"\napp_pools = [\"FromFile\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want []string // nil: the default (unset)
		err  string
	}{
		{"unset", []string{"--site", "s", "--type", "W3"}, nil, ""},
		{"repeated", []string{"--site", "s", "--type", "W3", "--app-pool", "Shop", "--app-pool=Api Pool"}, []string{"Shop", "Api Pool"}, ""},
		{"off", []string{"--site", "s", "--type", "W3", "--app-pool", ""}, []string{}, ""},
		{"the file's", []string{"--config", file}, []string{"FromFile"}, ""},
		{"the flag over the file", []string{"--config", file, "--app-pool", "Shop"}, []string{"Shop"}, ""},
		{"off over the file", []string{"--config", file, "--app-pool="}, []string{}, ""},
		{"off with a name", []string{"--site", "s", "--type", "W3", "--app-pool", "", "--app-pool", "Shop"}, nil,
			"--app-pool: an empty item turns the pool checks off; it cannot go with pool names"},
		{"on FTP", []string{"--site", "s", "--type", "FTP", "--app-pool", "Shop"}, nil,
			"--app-pool: app_pools on a FTP resource (only W3 sites have application pools)"},
		{"off on SMTP", []string{"--site", "s", "--type", "SMTP", "--app-pool", ""}, nil,
			"--app-pool: app_pools on a SMTP resource (only W3 sites have application pools)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := ParseFlags(action.NameQuickCheck, append([]string{"--tag", "t"}, tc.args...), s)
			if err != nil {
				t.Fatal(err)
			}
			inv, err := Resolve(context.Background(), req, time.Minute, func(string) string { return "" })
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Errorf("error %v, want %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := inv.Resource.Options.AppPools
			if (got == nil) != (tc.want == nil) || strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("AppPools = %#v, want %#v", got, tc.want)
			}
		})
	}
}
