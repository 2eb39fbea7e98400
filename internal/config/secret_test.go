package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHardening7_PasswordFile: a byte-order mark and the final line end are dropped; an
// inner line break or NUL is an error that never quotes the password; a FIFO is refused.
func TestHardening7_PasswordFile(t *testing.T) {
	dir := t.TempDir()
	noEnv := func(string) string { return "" }
	for _, tc := range []struct {
		name, content, want string
		bad                 bool
	}{
		{"bom", "\ufeffs3cret\r\n", "s3cret", false},
		{"plain", "s3cret", "s3cret", false},
		{"several line ends", "s3cret\n\r\n", "s3cret", false},
		{"inner newline", "s3c\nret\n", "", true},
		{"inner CR", "s3c\rret", "", true},
		{"inner NUL", "s3c\x00ret", "", true},
	} {
		p := filepath.Join(dir, tc.name)
		if err := os.WriteFile(p, []byte(tc.content), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := FTPPassword(p, noEnv)
		switch {
		case tc.bad && (!errors.Is(err, errPasswordLine) || strings.Contains(err.Error(), "s3c")):
			t.Errorf("%s: error %v", tc.name, err)
		case !tc.bad && (err != nil || got.Reveal() != tc.want):
			t.Errorf("%s: %q, %v", tc.name, got.Reveal(), err)
		}
	}
	env := func(string) string { return "a\nb" }
	if _, err := FTPPassword("", env); !errors.Is(err, errPasswordLine) {
		t.Errorf("environment with a newline: %v", err)
	}
}
