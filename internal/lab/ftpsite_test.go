package lab

import (
	"fmt"
	"net/textproto"
	"testing"
	"time"
)

// TestFTPDataChannelsRefused: ftpserverlib would open passive listeners on 0.0.0.0, so
// the lab refuses PASV and EPSV (and active mode) after a normal login.
func TestFTPDataChannelsRefused(t *testing.T) {
	ip := testIP(t)
	p := nextPort()
	cfg := writeConfig(t, siteXML("Data", `id="3"`, [2]string{"ftp", fmt.Sprintf("%s:%d:", ip, p)}))
	startLab(t, cfg, 20*time.Millisecond)

	conn, err := textproto.Dial("tcp", addr(ip, p))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	cmd := func(format string, a ...any) int {
		t.Helper()
		if _, err := conn.Cmd(format, a...); err != nil {
			t.Fatal(err)
		}
		code, msg, err := conn.ReadResponse(0)
		if err != nil && code == 0 {
			t.Fatalf("%s: %v", fmt.Sprintf(format, a...), err)
		}
		t.Logf("%s -> %d %s", fmt.Sprintf(format, a...), code, msg)
		return code
	}
	if code, _, err := conn.ReadResponse(220); err != nil {
		t.Fatalf("greeting %d: %v", code, err)
	}
	if cmd("USER probe") != 331 || cmd("PASS probe") != 230 {
		t.Fatal("login failed")
	}
	tests := []struct{ name, line string }{
		{"PASV", "PASV"},
		{"EPSV", "EPSV"},
		{"PORT", "PORT 127,0,0,1,200,10"},
		{"EPRT", "EPRT |1|127.0.0.1|51210|"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if code := cmd("%s", tc.line); code < 400 {
				t.Fatalf("%s answered %d, want a refusal (4xx/5xx)", tc.line, code)
			}
		})
	}
	// The control connection still works after the refusals.
	if code := cmd("NOOP"); code != 200 {
		t.Fatalf("NOOP after refusals: %d", code)
	}
}
