package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadLabAddress: a --lab (or $IISKIT_LAB) that is not an IP literal or localhost with a
// port is a usage error, exit 2 with nothing written, before any request or name lookup;
// the OCF agent calls it a configuration error.
func TestBadLabAddress(t *testing.T) {
	dir := t.TempDir()
	events := filepath.Join(dir, "events.jsonl")
	cfg := filepath.Join(dir, "r.toml")
	if err := os.WriteFile(cfg, []byte("[[resource]]\ntag = \"a\"\nsite = \"A\"\ntype = \"W3\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const why = `"notaurl" is not a lab host address: want http://IP:PORT, IP:PORT or http://localhost:PORT (an IP address or localhost, never a name to look up)`
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"quickcheck --lab", nil, []string{"quickcheck", "--tag", "a", "--site", "A", "--type", "W3", "--platform", "lab", "--lab", "notaurl", "--events", events},
			"iiskit quickcheck: " + why + "\n"},
		{"restore $IISKIT_LAB", map[string]string{"IISKIT_LAB": "notaurl"}, []string{"restore", "--tag", "a", "--site", "A", "--type", "W3", "--platform", "lab", "--events", events},
			"iiskit restore: " + why + "\n"},
		{"watch --lab", nil, []string{"watch", "--config", cfg, "--platform", "lab", "--lab", "notaurl", "--listen", "127.0.0.1:0", "--events", events},
			"iiskit watch: " + why + "\n"},
		{"lab status --lab", nil, []string{"lab", "status", "--lab", "notaurl"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, out, errb := testStreams(tc.env)
			code := Main(context.Background(), tc.args, s)
			if code != 2 || out.Len() != 0 || (tc.want != "" && errb.String() != tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q\nwant exit 2, stderr %q", code, out.String(), errb.String(), tc.want)
			}
			if _, err := os.Stat(events); !os.IsNotExist(err) {
				t.Errorf("the events file exists after a usage error: %v", err)
			}
		})
	}
	base := map[string]string{"OCF_RESKEY_site": "A", "OCF_RESKEY_type": "W3", "OCF_RESKEY_platform": "lab",
		"OCF_RESKEY_lab": "notaurl", "OCF_RESOURCE_INSTANCE": "a", "OCF_CHECK_LEVEL": "0"}
	s, _, errb := testStreams(base)
	if code := Main(context.Background(), []string{"ocf", "monitor"}, s); code != 6 || !strings.Contains(errb.String(), why) {
		t.Errorf("ocf monitor with a bad lab: exit %d, want 6 (OCF_ERR_CONFIGURED)\n%s", code, errb.String())
	}
}
