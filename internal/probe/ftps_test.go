package probe

import (
	"context"
	"crypto/x509"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/resource"
)

// ftpsAnswers is ftpAnswers with AUTH TLS answered by auth.
func ftpsAnswers(auth string) func(string) string {
	plain := ftpAnswers("bob", secret, "230 Login successful.\r\n")
	return func(line string) string {
		if strings.EqualFold(line, "AUTH TLS") {
			return auth
		}
		return plain(line)
	}
}

func TestFTPLoginTLS(t *testing.T) {
	cfg, roots, notAfter := testCert(t)
	tests := []struct {
		name        string
		mode        resource.TLSMode
		auth        string // the server's answer to AUTH TLS
		verify      bool
		roots       *x509.CertPool
		serverName  string
		want        Code
		wantTLS     bool
		wantSent    string
		wantReplies string
	}{
		{
			name: "on, server agrees", mode: resource.TLSOn, auth: "234 Proceed with negotiation.\r\n",
			want: OK, wantTLS: true,
			wantSent:    "AUTH TLS\r\nUSER bob\r\nPASS <password>\r\nQUIT\r\n",
			wantReplies: "220 ready\n234 Proceed with negotiation.\n331 Please specify the password.\n230 Login successful.\n221 Goodbye.",
		},
		{
			name: "on, server refuses", mode: resource.TLSOn, auth: "530 Please login with USER and PASS.\r\n",
			want:        FTPNoAnswer,
			wantSent:    "AUTH TLS\r\nQUIT\r\n",
			wantReplies: "220 ready\n530 Please login with USER and PASS.\n221 Goodbye.",
		},
		{
			name: "auto, server refuses: plain login", mode: resource.TLSAuto, auth: "500 AUTH not understood\r\n",
			want:        OK,
			wantSent:    "AUTH TLS\r\nUSER bob\r\nPASS <password>\r\nQUIT\r\n",
			wantReplies: "220 ready\n500 AUTH not understood\n331 Please specify the password.\n230 Login successful.\n221 Goodbye.",
		},
		{
			name: "auto, server agrees", mode: resource.TLSAuto, auth: "234 AUTH TLS OK.\r\n",
			want: OK, wantTLS: true,
			wantSent:    "AUTH TLS\r\nUSER bob\r\nPASS <password>\r\nQUIT\r\n",
			wantReplies: "220 ready\n234 AUTH TLS OK.\n331 Please specify the password.\n230 Login successful.\n221 Goodbye.",
		},
		{
			name: "off sends no AUTH", mode: resource.TLSOff, auth: "234 AUTH TLS OK.\r\n",
			want:        OK,
			wantSent:    "USER bob\r\nPASS <password>\r\nQUIT\r\n",
			wantReplies: "220 ready\n331 Please specify the password.\n230 Login successful.\n221 Goodbye.",
		},
		{
			name: "verify against the right root and name", mode: resource.TLSOn, auth: "234 OK\r\n",
			verify: true, roots: roots, serverName: "site.test",
			want: OK, wantTLS: true,
			wantSent:    "AUTH TLS\r\nUSER bob\r\nPASS <password>\r\nQUIT\r\n",
			wantReplies: "220 ready\n234 OK\n331 Please specify the password.\n230 Login successful.\n221 Goodbye.",
		},
		{
			name: "verify fails on an unknown root", mode: resource.TLSAuto, auth: "234 OK\r\n",
			verify: true, roots: x509.NewCertPool(),
			want: FTPNoAnswer, wantTLS: true,
			wantSent:    "AUTH TLS\r\n",
			wantReplies: "220 ready\n234 OK",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkLeaks(t)
			var sent syncBuffer
			srv := newServer(t, scriptedTLS("220 ready\r\n", ftpsAnswers(tc.auth), &sent, "AUTH TLS", cfg))
			r := FTPLogin(context.Background(), FTPTarget{
				Addr: srv.addr(), User: "bob", Password: secret, Timeout: 2 * time.Second,
				TLS: tc.mode, TLSVerify: tc.verify, RootCAs: tc.roots, ServerName: tc.serverName,
			})
			if r.Code != tc.want {
				t.Errorf("code %v (%v), want %v", r.Code, r.Err, tc.want)
			}
			if gotTLS := !r.CertNotAfter.IsZero(); gotTLS != tc.wantTLS || (gotTLS && !r.CertNotAfter.Equal(notAfter)) {
				t.Errorf("CertNotAfter %v, want TLS %v expiring %v", r.CertNotAfter, tc.wantTLS, notAfter)
			}
			if r.Replies != tc.wantReplies {
				t.Errorf("replies\n%q\nwant\n%q", r.Replies, tc.wantReplies)
			}
			got := strings.Replace(sent.String(), "PASS "+secret+"\r\n", "PASS <password>\r\n", 1)
			if got != tc.wantSent {
				t.Errorf("client sent\n%q\nwant\n%q", got, tc.wantSent)
			}
			checkSecret(t, r, secret)
		})
	}
}

func TestFTPLoginTLSHostile(t *testing.T) {
	// Each server agrees to AUTH TLS, then misbehaves where the handshake should be.
	authThen := func(h func(net.Conn, <-chan struct{})) func(net.Conn, <-chan struct{}) {
		return talkThen("220 ready\r\n", []string{"234 Proceed.\r\n"}, h)
	}
	cases := []struct {
		name   string
		handle func(net.Conn, <-chan struct{})
	}{
		{"handshake never finishes", authThen(silent(""))},
		{"one byte per second", authThen(trickle("", slowRecord))},
		{"a megabyte of garbage", authThen(garbage(""))},
		{"reset", authThen(reset(""))},
		{"plain reply instead of handshake", authThen(silent("331 not TLS\r\n"))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkLeaks(t)
			addr := newServer(t, tc.handle).addr()
			r := withinBound(t, func() Result {
				return FTPLogin(context.Background(), FTPTarget{Addr: addr, User: "bob", Password: secret, Timeout: quick, TLS: resource.TLSAuto})
			})
			if r.Code != FTPNoAnswer {
				t.Errorf("code %v (%v), want %v", r.Code, r.Err, FTPNoAnswer)
			}
			checkSecret(t, r, secret)
		})
	}
}
