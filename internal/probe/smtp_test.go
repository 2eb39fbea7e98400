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

// smtpAnswers is a small SMTP server: EHLO lists ext, STARTTLS gets starttls.
func smtpAnswers(ext []string, starttls string) func(string) string {
	return func(line string) string {
		cmd, _, _ := strings.Cut(line, " ")
		switch strings.ToUpper(cmd) {
		case "EHLO":
			var b strings.Builder
			b.WriteString("250")
			if len(ext) > 0 {
				b.WriteString("-")
			} else {
				b.WriteString(" ")
			}
			b.WriteString("peer.test Hello\r\n")
			for i, e := range ext {
				sep := "-"
				if i == len(ext)-1 {
					sep = " "
				}
				b.WriteString("250" + sep + e + "\r\n")
			}
			return b.String()
		case "STARTTLS":
			return starttls
		case "QUIT":
			return "221 Bye\r\n"
		}
		return "500 unknown\r\n"
	}
}

func TestSMTPDialogue(t *testing.T) {
	cfg, roots, notAfter := testCert(t)
	tests := []struct {
		name     string
		greeting string
		ext      []string
		starttls string
		target   SMTPTarget
		want     Code
		wantTLS  bool
		wantSent string
	}{
		{
			name: "plain", greeting: "220 peer.test ESMTP OpenSMTPD\r\n", ext: []string{"8BITMIME", "SIZE 1000"},
			want: OK, wantSent: "EHLO localhost\r\nQUIT\r\n",
		},
		{
			name: "multi-line greeting, own hello", greeting: "220-peer.test\r\n220 ESMTP\r\n",
			target: SMTPTarget{Hello: "node1.example"},
			want:   OK, wantSent: "EHLO node1.example\r\nQUIT\r\n",
		},
		{
			name: "greeting 554", greeting: "554 No service\r\n",
			want: SMTPNoAnswer, wantSent: "QUIT\r\n",
		},
		{
			name: "off ignores STARTTLS", greeting: "220 x\r\n", ext: []string{"STARTTLS"}, starttls: "220 go\r\n",
			want: OK, wantSent: "EHLO localhost\r\nQUIT\r\n",
		},
		{
			name: "on, offered", greeting: "220 x\r\n", ext: []string{"PIPELINING", "STARTTLS"}, starttls: "220 go ahead\r\n",
			target: SMTPTarget{StartTLS: resource.TLSOn},
			want:   OK, wantTLS: true, wantSent: "EHLO localhost\r\nSTARTTLS\r\nEHLO localhost\r\nQUIT\r\n",
		},
		{
			name: "on, not offered", greeting: "220 x\r\n", ext: []string{"PIPELINING"},
			target: SMTPTarget{StartTLS: resource.TLSOn},
			want:   SMTPNoAnswer, wantSent: "EHLO localhost\r\nQUIT\r\n",
		},
		{
			name: "on, refused", greeting: "220 x\r\n", ext: []string{"STARTTLS"}, starttls: "454 TLS not available\r\n",
			target: SMTPTarget{StartTLS: resource.TLSOn},
			want:   SMTPNoAnswer, wantSent: "EHLO localhost\r\nSTARTTLS\r\nQUIT\r\n",
		},
		{
			name: "auto, not offered", greeting: "220 x\r\n",
			target: SMTPTarget{StartTLS: resource.TLSAuto},
			want:   OK, wantSent: "EHLO localhost\r\nQUIT\r\n",
		},
		{
			name: "auto, refused: plain", greeting: "220 x\r\n", ext: []string{"starttls"}, starttls: "454 later\r\n",
			target: SMTPTarget{StartTLS: resource.TLSAuto},
			want:   OK, wantSent: "EHLO localhost\r\nSTARTTLS\r\nQUIT\r\n",
		},
		{
			name: "auto, verified", greeting: "220 x\r\n", ext: []string{"STARTTLS"}, starttls: "220 go\r\n",
			target: SMTPTarget{StartTLS: resource.TLSAuto, TLSVerify: true, RootCAs: roots, ServerName: "site.test"},
			want:   OK, wantTLS: true, wantSent: "EHLO localhost\r\nSTARTTLS\r\nEHLO localhost\r\nQUIT\r\n",
		},
		{
			name: "verify fails on the name", greeting: "220 x\r\n", ext: []string{"STARTTLS"}, starttls: "220 go\r\n",
			target: SMTPTarget{StartTLS: resource.TLSOn, TLSVerify: true, RootCAs: roots, ServerName: "other.test"},
			want:   SMTPNoAnswer, wantTLS: true, wantSent: "EHLO localhost\r\nSTARTTLS\r\n",
		},
		{
			name: "verify fails on the root", greeting: "220 x\r\n", ext: []string{"STARTTLS"}, starttls: "220 go\r\n",
			target: SMTPTarget{StartTLS: resource.TLSOn, TLSVerify: true, RootCAs: x509.NewCertPool()},
			want:   SMTPNoAnswer, wantTLS: true, wantSent: "EHLO localhost\r\nSTARTTLS\r\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkLeaks(t)
			var sent syncBuffer
			srv := newServer(t, scriptedTLS(tc.greeting, smtpAnswers(tc.ext, tc.starttls), &sent, "STARTTLS", cfg))
			tc.target.Addr, tc.target.Timeout = srv.addr(), 2*time.Second
			r := SMTP(context.Background(), tc.target)
			if r.Code != tc.want || (r.Err == nil) != (tc.want == OK) {
				t.Errorf("code %v (%v), want %v", r.Code, r.Err, tc.want)
			}
			if gotTLS := !r.CertNotAfter.IsZero(); gotTLS != tc.wantTLS || (gotTLS && !r.CertNotAfter.Equal(notAfter)) {
				t.Errorf("CertNotAfter %v, want TLS %v expiring %v", r.CertNotAfter, tc.wantTLS, notAfter)
			}
			if got := sent.String(); got != tc.wantSent {
				t.Errorf("client sent\n%q\nwant\n%q", got, tc.wantSent)
			}
			if !strings.HasPrefix(r.Replies, strings.TrimRight(tc.greeting, "\r\n")[:3]) {
				t.Errorf("replies %q do not start with the greeting", r.Replies)
			}
		})
	}
}

func TestSMTPBadArgs(t *testing.T) {
	for _, tg := range []SMTPTarget{
		{Addr: "127.0.0.1"},
		{Addr: "127.0.0.1:25", Hello: "a\r\nRCPT TO:<x>"},
		{Addr: "127.0.0.1:25", Hello: "two words"},
	} {
		if r := SMTP(context.Background(), tg); r.Code != BadArgs {
			t.Errorf("%+v: code %v (%v), want %v", tg, r.Code, r.Err, BadArgs)
		}
	}
}

func TestSMTPHostile(t *testing.T) {
	const greet = "220 peer.test ESMTP\r\n"
	starttlsThen := func(h func(net.Conn, <-chan struct{})) func(*testing.T) string {
		return serve(talkThen(greet, []string{"250-peer.test\r\n250 STARTTLS\r\n", "220 go ahead\r\n"}, h))
	}
	cases := []struct {
		name   string
		server func(t *testing.T) string
		want   Code
	}{
		{"refused", refusedAddr, SMTPNoConnect},
		{"silent after accept", serve(silent("")), SMTPNoAnswer},
		{"silent after greeting", serve(silent(greet)), SMTPNoAnswer},
		{"one byte per second", serve(trickle("", greet)), SMTPNoAnswer},
		{"a megabyte of garbage", serve(garbage("")), SMTPNoAnswer},
		{"garbage after greeting", serve(garbage(greet)), SMTPNoAnswer},
		{"greeting without line end", serve(silent("220 peer.test ESMTP")), SMTPNoAnswer},
		{"reset after accept", serve(reset("")), SMTPNoAnswer},
		{"reset after greeting", serve(reset(greet)), SMTPNoAnswer},
		{"STARTTLS handshake never finishes", starttlsThen(silent("")), SMTPNoAnswer},
		{"STARTTLS handshake one byte per second", starttlsThen(trickle("", slowRecord)), SMTPNoAnswer},
		{"STARTTLS then garbage", starttlsThen(garbage("")), SMTPNoAnswer},
		{"STARTTLS then plain text", starttlsThen(silent("250 injected\r\n")), SMTPNoAnswer},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkLeaks(t)
			addr := tc.server(t)
			r := withinBound(t, func() Result {
				return SMTP(context.Background(), SMTPTarget{Addr: addr, Timeout: quick, StartTLS: resource.TLSOn})
			})
			if r.Code != tc.want || r.Err == nil {
				t.Errorf("code %v (%v), want %v", r.Code, r.Err, tc.want)
			}
			if len(r.Replies) > MaxRepliesText+len("\n[replies cut]") {
				t.Errorf("replies hold %d bytes", len(r.Replies))
			}
		})
	}
}
