package probe

import (
	"testing"

	"github.com/iiskit/iiskit/internal/resource"
)

// TestCodeLabel: SMTP results share HTTP's numbers but say SMTP; other types keep the
// words of D4.6.
func TestCodeLabel(t *testing.T) {
	tests := []struct {
		code Code
		typ  resource.Type
		want string
	}{
		{SMTPNoConnect, resource.SMTP, "no SMTP connection"},
		{SMTPNoAnswer, resource.SMTP, "no SMTP answer"},
		{BadArgs, resource.SMTP, "bad arguments"},
		{OK, resource.SMTP, "ok"},
		{HTTPNoConnect, resource.W3, "no HTTP connection"},
		{HTTPNoAnswer, resource.W3, "no HTTP answer"},
		{FTPNoAnswer, resource.FTP, "no FTP connection or answer"},
		{Code(9), resource.SMTP, "code 9"},
	}
	for _, tc := range tests {
		if got := tc.code.Label(tc.typ); got != tc.want {
			t.Errorf("Code(%d).Label(%v) = %q, want %q", tc.code, tc.typ, got, tc.want)
		}
	}
}
