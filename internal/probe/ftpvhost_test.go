package probe

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/resource"
)

// TestFTPLoginVirtualHost: a binding with an FTP host name is reached as host|user, the
// syntax of Microsoft's "FTP Host Name Support <hostNameSupport>"
// (learn.microsoft.com/iis/configuration/system.ftpserver/serverruntime/hostnamesupport:
// "ftp.contoso.com|username"), anonymous logins included; the server here, like IIS with
// two sites on one IP:port, accepts only that form. A host name that would break the
// USER line is refused before anything is sent.
func TestFTPLoginVirtualHost(t *testing.T) {
	for _, tc := range []struct {
		name, user, pass, okUser, okPass, wantSent string
	}{
		{"named user", "probe", secret, "ftp.contoso.com|probe", secret,
			"USER ftp.contoso.com|probe\r\nPASS " + secret + "\r\nQUIT\r\n"},
		{"anonymous", "", "", "ftp.contoso.com|anonymous", "anonymous@",
			"USER ftp.contoso.com|anonymous\r\nPASS anonymous@\r\nQUIT\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkLeaks(t)
			var sent syncBuffer
			srv := newServer(t, scripted("220 Microsoft FTP Service\r\n", ftpAnswers(tc.okUser, tc.okPass, "230 User logged in.\r\n"), &sent))
			r := FTPLogin(context.Background(), FTPTarget{Addr: srv.addr(), User: tc.user, Password: resource.Secret(tc.pass),
				VirtualHost: "ftp.contoso.com", Timeout: 2 * time.Second})
			if r.Code != OK {
				t.Errorf("code %v (%v), want OK; replies %q", r.Code, r.Err, r.Replies)
			}
			if got := sent.String(); got != tc.wantSent {
				t.Errorf("client sent %q, want %q", got, tc.wantSent)
			}
		})
	}
	for _, host := range []string{"a\r\nDELE x", "a|b", "a\x00"} {
		checkLeaks(t)
		srv := newServer(t, silent("220 Ready\r\n"))
		r := FTPLogin(context.Background(), FTPTarget{Addr: srv.addr(), User: "probe", Password: "p", VirtualHost: host, Timeout: quick})
		if r.Code != BadArgs || !errors.Is(r.Err, errBadVirtualHost) {
			t.Errorf("virtual host %q: %v (%v), want BadArgs", host, r.Code, r.Err)
		}
		if n := srv.accepted(); n != 0 {
			t.Errorf("virtual host %q: connected %d times, want none", host, n)
		}
	}
}
