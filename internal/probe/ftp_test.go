package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/resource"
)

const secret = "s3cr3t-Pa55"

// ftpAnswers is a small FTP server's dialogue: a good password gives 230, others 530.
func ftpAnswers(okUser, okPass string, loginReply string) func(string) string {
	var user string
	return func(line string) string {
		cmd, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(cmd) {
		case "USER":
			user = arg
			return "331 Please specify the password.\r\n"
		case "PASS":
			if user == okUser && arg == okPass {
				return loginReply
			}
			return "530 Login incorrect.\r\n"
		case "QUIT":
			return "221 Goodbye.\r\n"
		}
		return "500 Unknown command.\r\n"
	}
}

// userAnswers is a server that answers USER with userReply and anything else with 221.
func userAnswers(userReply string) func(string) string {
	return func(line string) string {
		if strings.HasPrefix(line, "USER") {
			return userReply
		}
		return "221 Bye\r\n"
	}
}

// checkSecret fails if the password shows in anything the probe returned.
func checkSecret(t *testing.T, r Result, pass string) {
	t.Helper()
	if pass == "" {
		return
	}
	if strings.Contains(r.Replies, pass) {
		t.Errorf("password in Replies: %q", r.Replies)
	}
	if r.Err != nil && strings.Contains(r.Err.Error(), pass) {
		t.Errorf("password in Err: %v", r.Err)
	}
	if s := fmt.Sprintf("%+v %#v", r, r); strings.Contains(s, pass) {
		t.Errorf("password in printed Result: %s", s)
	}
}

func TestFTPLoginDialogue(t *testing.T) {
	tests := []struct {
		name        string
		greeting    string
		user, pass  string
		answer      func(string) string
		want        Code
		wantReplies string
		// wantSent is what the client sends, with its PASS line as "PASS <password>".
		wantSent string
	}{
		{
			name:     "good login",
			greeting: "220 (vsFTPd 3.0.3)\r\n",
			user:     "bob", pass: secret,
			answer:      ftpAnswers("bob", secret, "230 Login successful.\r\n"),
			want:        OK,
			wantReplies: "220 (vsFTPd 3.0.3)\n331 Please specify the password.\n230 Login successful.\n221 Goodbye.",
			wantSent:    "USER bob\r\nPASS <password>\r\nQUIT\r\n",
		},
		{
			name:     "bad password gives 530",
			greeting: "220 ready\r\n",
			user:     "bob", pass: "wrong-" + secret,
			answer:      ftpAnswers("bob", secret, "230 Login successful.\r\n"),
			want:        FTPNoAnswer,
			wantReplies: "220 ready\n331 Please specify the password.\n530 Login incorrect.\n221 Goodbye.",
			wantSent:    "USER bob\r\nPASS <password>\r\nQUIT\r\n",
		},
		{
			name:     "multi-line greeting and multi-line 230, LF only",
			greeting: "220-Microsoft FTP Service\n220-Authorised users only\n220 Ready\n",
			user:     "bob", pass: secret,
			answer:      ftpAnswers("bob", secret, "230-Welcome\n230-\n   disk quota 10 MB\n230 User logged in.\n"),
			want:        OK,
			wantReplies: "220-Microsoft FTP Service\n220-Authorised users only\n220 Ready\n331 Please specify the password.\n230-Welcome\n230-\n   disk quota 10 MB\n230 User logged in.\n221 Goodbye.",
			wantSent:    "USER bob\r\nPASS <password>\r\nQUIT\r\n",
		},
		{
			name:     "preliminary 120 before 220",
			greeting: "120 Ready in 1 minute\r\n220 Ready\r\n",
			user:     "bob", pass: secret,
			answer:      ftpAnswers("bob", secret, "230 OK\r\n"),
			want:        OK,
			wantReplies: "120 Ready in 1 minute\n220 Ready\n331 Please specify the password.\n230 OK\n221 Goodbye.",
			wantSent:    "USER bob\r\nPASS <password>\r\nQUIT\r\n",
		},
		{
			name:     "230 inside a 530 reply is not a login",
			greeting: "220 Ready\r\n",
			user:     "bob", pass: secret,
			answer:      ftpAnswers("bob", secret, "530-No\r\n230 this line is not the reply code\r\n530 Login incorrect.\r\n"),
			want:        FTPNoAnswer,
			wantReplies: "220 Ready\n331 Please specify the password.\n530-No\n230 this line is not the reply code\n530 Login incorrect.\n221 Goodbye.",
			wantSent:    "USER bob\r\nPASS <password>\r\nQUIT\r\n",
		},
		{
			name:     "D4.4 200 to PASS is not a login",
			greeting: "220 Ready\r\n",
			user:     "bob", pass: secret,
			answer:      ftpAnswers("bob", secret, "200 Command okay.\r\n"),
			want:        FTPNoAnswer,
			wantReplies: "220 Ready\n331 Please specify the password.\n200 Command okay.\n221 Goodbye.",
			wantSent:    "USER bob\r\nPASS <password>\r\nQUIT\r\n",
		},
		{
			name:     "D4.4 200 to USER is not a login",
			greeting: "220 Ready\r\n",
			user:     "bob", pass: secret,
			answer:      userAnswers("200 Command okay.\r\n"),
			want:        FTPNoAnswer,
			wantReplies: "220 Ready\n200 Command okay.\n221 Bye",
			wantSent:    "USER bob\r\nQUIT\r\n",
		},
		{
			name:     "D4.4 202 to PASS is not a login",
			greeting: "220 Ready\r\n",
			user:     "bob", pass: secret,
			answer:      ftpAnswers("bob", secret, "202 Command not implemented, superfluous at this site.\r\n"),
			want:        FTPNoAnswer,
			wantReplies: "220 Ready\n331 Please specify the password.\n202 Command not implemented, superfluous at this site.\n221 Goodbye.",
			wantSent:    "USER bob\r\nPASS <password>\r\nQUIT\r\n",
		},
		{
			name:     "D4.4 202 to USER is not a login",
			greeting: "220 Ready\r\n",
			user:     "bob", pass: secret,
			answer:      userAnswers("202 Command not implemented, superfluous at this site.\r\n"),
			want:        FTPNoAnswer,
			wantReplies: "220 Ready\n202 Command not implemented, superfluous at this site.\n221 Bye",
			wantSent:    "USER bob\r\nQUIT\r\n",
		},
		{
			name:     "D4.4 a bare 230 to PASS is not a login",
			greeting: "220 Ready\r\n",
			user:     "bob", pass: secret,
			answer:      ftpAnswers("bob", secret, "230\r\n"),
			want:        FTPNoAnswer,
			wantReplies: "220 Ready\n331 Please specify the password.\n230\n221 Goodbye.",
			wantSent:    "USER bob\r\nPASS <password>\r\nQUIT\r\n",
		},
		{
			name:     "D4.4 a multi-line 230 ending in a bare 230 is not a login",
			greeting: "220 Ready\r\n",
			user:     "bob", pass: secret,
			answer:      ftpAnswers("bob", secret, "230-Welcome\r\n230\r\n"),
			want:        FTPNoAnswer,
			wantReplies: "220 Ready\n331 Please specify the password.\n230-Welcome\n230\n221 Goodbye.",
			wantSent:    "USER bob\r\nPASS <password>\r\nQUIT\r\n",
		},
		{
			name:     "D4.4 a bare 230 to USER is not a login",
			greeting: "220 Ready\r\n",
			user:     "bob", pass: secret,
			answer:      userAnswers("230\r\n"),
			want:        FTPNoAnswer,
			wantReplies: "220 Ready\n230\n221 Bye",
			wantSent:    "USER bob\r\nQUIT\r\n",
		},
		{
			name:        "anonymous when no user",
			greeting:    "220 Ready\r\n",
			answer:      ftpAnswers("anonymous", "anonymous@", "230 Anonymous access granted.\r\n"),
			want:        OK,
			wantReplies: "220 Ready\n331 Please specify the password.\n230 Anonymous access granted.\n221 Goodbye.",
			wantSent:    "USER anonymous\r\nPASS anonymous@\r\nQUIT\r\n",
		},
		{
			name:     "user needs no password",
			greeting: "220 Ready\r\n",
			user:     "bob", pass: secret,
			answer: func(line string) string {
				if strings.HasPrefix(line, "USER") {
					return "230 Already in.\r\n"
				}
				return "221 Bye\r\n"
			},
			want:        OK,
			wantReplies: "220 Ready\n230 Already in.\n221 Bye",
			wantSent:    "USER bob\r\nQUIT\r\n",
		},
		{
			name:     "greeting 421",
			greeting: "421 Too many users\r\n",
			user:     "bob", pass: secret,
			answer:      ftpAnswers("bob", secret, "230 OK\r\n"),
			want:        FTPNoAnswer,
			wantReplies: "421 Too many users",
			wantSent:    "",
		},
		{
			name:     "server echoes the password",
			greeting: "220 Ready\r\n",
			user:     "bob", pass: secret,
			answer: func(line string) string {
				switch {
				case strings.HasPrefix(line, "USER"):
					return "331 Password?\r\n"
				case strings.HasPrefix(line, "PASS"):
					return "530 Wrong password " + strings.TrimPrefix(line, "PASS ") + "\r\n"
				}
				return "221 Bye\r\n"
			},
			want:        FTPNoAnswer,
			wantReplies: "220 Ready\n331 Password?\n530 Wrong password ********\n221 Bye",
			wantSent:    "USER bob\r\nPASS <password>\r\nQUIT\r\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkLeaks(t)
			var sent syncBuffer
			srv := newServer(t, scripted(tc.greeting, tc.answer, &sent))
			r := FTPLogin(context.Background(), FTPTarget{
				Addr: srv.addr(), User: tc.user, Password: resource.Secret(tc.pass), Timeout: 2 * time.Second,
			})
			if r.Code != tc.want {
				t.Errorf("code %v (%v), want %v", r.Code, r.Err, tc.want)
			}
			if (r.Err == nil) != (tc.want == OK) {
				t.Errorf("err %v with code %v", r.Err, r.Code)
			}
			if r.Replies != tc.wantReplies {
				t.Errorf("replies\n%q\nwant\n%q", r.Replies, tc.wantReplies)
			}
			checkSecret(t, r, tc.pass)
			got := sent.String()
			passLine := "PASS " + tc.pass + "\r\n"
			if strings.Contains(tc.wantSent, "PASS <password>") && !strings.Contains(got, passLine) {
				t.Errorf("client did not send the password line exactly; sent %d bytes", len(got))
			}
			if got = strings.Replace(got, passLine, "PASS <password>\r\n", 1); got != tc.wantSent {
				t.Errorf("client sent\n%q\nwant\n%q", got, tc.wantSent)
			}
		})
	}
}

func TestFTPLoginRejectsLineBreaks(t *testing.T) {
	tests := []struct{ name, user, pass string }{
		{"CRLF in password", "bob", "pw\r\nDELE x"},
		{"LF in password", "bob", "pw\nx"},
		{"CR in user", "bob\rx", "pw"},
		{"NUL in user", "bob\x00", "pw"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkLeaks(t)
			srv := newServer(t, silent("220 Ready\r\n"))
			r := FTPLogin(context.Background(), FTPTarget{Addr: srv.addr(), User: tc.user, Password: resource.Secret(tc.pass), Timeout: quick})
			if r.Code != BadArgs || !errors.Is(r.Err, errBadCredentials) {
				t.Errorf("got %v (%v), want %v", r.Code, r.Err, BadArgs)
			}
			if n := srv.accepted(); n != 0 {
				t.Errorf("probe connected %d times, want none", n)
			}
			checkSecret(t, r, tc.pass)
		})
	}
}

func TestFTPLoginBadAddr(t *testing.T) {
	for _, addr := range []string{"", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:x", ":21"} {
		r := FTPLogin(context.Background(), FTPTarget{Addr: addr, User: "u", Password: "p"})
		if r.Code != BadArgs {
			t.Errorf("addr %q: code %v (%v), want %v", addr, r.Code, r.Err, BadArgs)
		}
	}
}

func TestFTPLoginHostile(t *testing.T) {
	const greet = "220 Ready\r\n"
	cases := []struct {
		name   string
		server func(t *testing.T) string
	}{
		{"refused", refusedAddr},
		{"silent after accept", serve(silent(""))},
		{"silent after greeting", serve(silent(greet))},
		{"one byte per second", serve(trickle("", "220 Ready\r\n"))},
		{"one byte per second after greeting", serve(trickle(greet, "331 Password required\r\n"))},
		{"a megabyte of garbage", serve(garbage(""))},
		{"garbage after greeting", serve(garbage(greet))},
		{"reply without line end", serve(silent("220 Ready"))},
		{"reset after accept", serve(reset(""))},
		{"reset after greeting", serve(reset(greet))},
		{"endless multi-line reply", serve(silent("220-a\r\n" + strings.Repeat("more\r\n", 1000)))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkLeaks(t)
			addr := tc.server(t)
			r := withinBound(t, func() Result {
				return FTPLogin(context.Background(), FTPTarget{Addr: addr, User: "bob", Password: secret, Timeout: quick})
			})
			if r.Code != FTPNoAnswer || r.Err == nil {
				t.Errorf("code %v (%v), want %v", r.Code, r.Err, FTPNoAnswer)
			}
			if len(r.Replies) > MaxRepliesText+len("\n[replies cut]") {
				t.Errorf("replies hold %d bytes, want at most %d", len(r.Replies), MaxRepliesText)
			}
			checkSecret(t, r, secret)
		})
	}
}

func TestFTPLoginContextCancel(t *testing.T) {
	checkLeaks(t)
	srv := newServer(t, silent("220 Ready\r\n"))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(100 * time.Millisecond) // the cancellation under test, not synchronisation
		cancel()
	}()
	r := withinBound(t, func() Result {
		return FTPLogin(ctx, FTPTarget{Addr: srv.addr(), User: "bob", Password: secret, Timeout: time.Minute})
	})
	if r.Code != FTPNoAnswer || !errors.Is(r.Err, context.Canceled) {
		t.Errorf("got %v (%v), want %v caused by cancel", r.Code, r.Err, FTPNoAnswer)
	}
}

// serve starts a loopback server with handle and returns a function giving its address.
func serve(handle func(c net.Conn, done <-chan struct{})) func(t *testing.T) string {
	return func(t *testing.T) string { return newServer(t, handle).addr() }
}
