package probe

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/iiskit/iiskit/internal/resource"
)

// promisedFragment is the length of the pieces of a password that SPEC S3's masking
// promises to hide: three characters. It is written here, not read from the masker, so a
// masker that hides only longer pieces fails these tests.
const promisedFragment = 3

// leak reports the first piece of secret of promisedFragment characters (the whole
// secret when shorter) that shows in rendered replies, read as maskedTranscript promises:
// line ends skipped, reply codes skipped in one reading and read in the other, and '?'
// (a control character, shown so) skipped when controlsSkipped, else a break like a
// mask's '*'. It is written apart from the masker, from the promise alone.
func leak(rendered, secret string, controlsSkipped bool) (string, bool) {
	key := []rune(secret)
	k := min(promisedFragment, len(key))
	if k == 0 {
		return "", false
	}
	grams := map[string]bool{}
	for i := 0; i+k <= len(key); i++ {
		grams[string(key[i:i+k])] = true
	}
	for _, skipCodes := range []bool{true, false} {
		var run []rune
		for _, line := range strings.Split(rendered, "\n") {
			if skipCodes {
				line = line[codePrefixLen(line):]
			}
			for _, r := range line {
				switch {
				case r == '?' && controlsSkipped:
					continue
				case r == '?' || r == '*':
					run = run[:0]
					continue
				}
				run = append(run, r)
				if len(run) >= k && grams[string(run[len(run)-k:])] {
					return string(run[len(run)-k:]), true
				}
			}
		}
	}
	return "", false
}

// echoes are hostile FTP servers' answers to "PASS <p>": each echoes the password in a
// way that gets past a search for the whole password on one line.
var echoes = map[string]func(p string) string{
	"split over two reply lines": func(p string) string { return "530-Wrong password " + p[:5] + "\r\n530 " + p[5:] + " rejected\r\n" },
	"two characters per line": func(p string) string {
		var b strings.Builder
		for i := 0; i < len(p); i += 2 {
			b.WriteString("530-" + p[i:min(i+2, len(p))] + "\r\n")
		}
		return b.String() + "530 end\r\n"
	},
	"cut at the line limit": func(p string) string { return "530 " + strings.Repeat("x", MaxLineLen-4-5) + p + "\r\n" },
	"stalled mid-line":      func(p string) string { return "530 no " + p[:7] },
	"CR inside":             func(p string) string { return "530 no " + p[:4] + "\r" + p[4:] + "\r\n" },
	"NUL between every character": func(p string) string {
		return "530 no " + strings.Join(strings.Split(p, ""), "\x00") + "\r\n"
	},
	"ESC sequences between pieces": func(p string) string { return "530 " + p[:3] + "\x1b[0m" + p[3:6] + "\x1b[1m" + p[6:] + "\r\n" },
	"split inside one multi-line reply": func(p string) string {
		return "530-Login incorrect for\r\n " + p[:1] + "\r\n " + p[1:2] + "\r\n " + p[2:] + "\r\n530 end\r\n"
	},
}

// TestHardening3_FTPPasswordEchoedInPieces: whatever piece of the password a hostile
// server in this process echoes, and however, no piece of three characters reaches
// $FTPRESPONSE (Result.Replies), nor the password itself.
func TestHardening3_FTPPasswordEchoedInPieces(t *testing.T) {
	for name, echo := range echoes {
		t.Run(name, func(t *testing.T) {
			checkLeaks(t)
			var sent syncBuffer
			srv := newServer(t, scripted("220 Ready\r\n", func(line string) string {
				switch cmd, arg, _ := strings.Cut(line, " "); cmd {
				case "USER":
					return "331 Password?\r\n"
				case "PASS":
					return echo(arg)
				}
				return "221 Bye\r\n"
			}, &sent))
			r := FTPLogin(context.Background(), FTPTarget{
				Addr: srv.addr(), User: "bob", Password: resource.Secret(secret), Timeout: 500 * time.Millisecond,
			})
			if r.Code != FTPNoAnswer {
				t.Errorf("code %v, want FTPNoAnswer", r.Code)
			}
			if !strings.Contains(sent.String(), "PASS "+secret+"\r\n") {
				t.Fatalf("the password was not sent, so nothing was tested: %q", sent.String())
			}
			checkSecret(t, r, secret)
			if piece, found := leak(r.Replies, secret, true); found {
				t.Errorf("piece %q of the password in the replies:\n%s", piece, r.Replies)
			}
			if !strings.Contains(r.Replies, secretMask) {
				t.Errorf("nothing masked: %q", r.Replies)
			}
		})
	}
}

// TestHardening3_NoUserNeverSendsTheSecret: with no FTP user, the login is anonymous with
// the fixed password, and the configured secret is never sent.
func TestHardening3_NoUserNeverSendsTheSecret(t *testing.T) {
	checkLeaks(t)
	var sent syncBuffer
	srv := newServer(t, scripted("220 Ready\r\n", ftpAnswers("anonymous", anonymousPassword, "230 Anonymous ok.\r\n"), &sent))
	r := FTPLogin(context.Background(), FTPTarget{Addr: srv.addr(), Password: resource.Secret(secret), Timeout: 2 * time.Second})
	if r.Code != OK {
		t.Errorf("code %v (%v), want OK", r.Code, r.Err)
	}
	want := "USER anonymous\r\nPASS " + anonymousPassword + "\r\nQUIT\r\n"
	if got := sent.String(); got != want {
		t.Errorf("sent %q, want %q", got, want)
	}
}

// TestMaskedTranscriptKeepsOrdinaryReplies: replies without the secret pass unchanged
// but for control characters, shown as '?'.
func TestMaskedTranscriptKeepsOrdinaryReplies(t *testing.T) {
	lines := []string{"220-Microsoft FTP Service", "220 Ready \x1b[31m", "331 Password required", "530 User cannot log in."}
	want := "220-Microsoft FTP Service\n220 Ready ?[31m\n331 Password required\n530 User cannot log in."
	if got := maskedTranscript(lines, secret); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	// A two-letter password is masked whole, in the reply codes too (a server could
	// spell digits in them).
	if got := maskedTranscript([]string{"530 no x53y"}, "53"); got != "********0 no x********y" {
		t.Errorf("a two-letter password: %q", got)
	}
}

// TestS3_ThreeCharacterPieceIsMasked: a server that echoes three characters of the
// password in the middle of its reply gets them masked (fixed expectations: a masker that
// hides only pieces of four or more leaves "abc" shown).
func TestS3_ThreeCharacterPieceIsMasked(t *testing.T) {
	cases := []struct {
		lines      []string
		pass, want string
	}{
		{[]string{"530 no abc!"}, "xabcx", "530 no ********!"},
		{[]string{"530-no ab", "530 c!"}, "xabcx", "530-no ********\n530 ********!"},
		{[]string{"530 no ab"}, "xabcx", "530 no ab"}, // two characters are everyday text
	}
	for _, tc := range cases {
		if got := maskedTranscript(tc.lines, tc.pass); got != tc.want {
			t.Errorf("%q with password %q: got %q, want %q", tc.lines, tc.pass, got, tc.want)
		}
	}
}

// FuzzMaskedTranscript: for any server output and any password, no piece of the password
// of promisedFragment characters shows in the rendered replies (the reading of leak, with '?'
// as a break: the fuzzer's passwords may hold characters shown as '?').
func FuzzMaskedTranscript(f *testing.F) {
	f.Add("530-Wrong s3cr3\r\n530 t-Pa55\r\n", secret)
	f.Add("530 s\x00e\x00c\x00r\x00e\x00t", "secret")
	f.Add("530-se\n530-cr\n530 et\n", "secret")
	f.Add("1234 x\n530 5\n", "x530 5")
	f.Add("530 \xff\xfeab", "a?b")
	f.Fuzz(func(t *testing.T, out, pass string) {
		if strings.ContainsAny(pass, "\r\n\x00") || len(out) > MaxRepliesText {
			return // the probe sends no such password and keeps no more than this
		}
		var lines []string
		for _, l := range strings.Split(out, "\n") {
			lines = append(lines, strings.TrimSuffix(l, "\r"))
		}
		got := maskedTranscript(lines, pass)
		if !utf8.ValidString(got) {
			t.Errorf("rendered text is not UTF-8: %q", got)
		}
		clean := !strings.ContainsFunc(pass, func(r rune) bool {
			return r == '?' || r == '*' || r == utf8.RuneError || r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0
		})
		if !clean {
			return // '?' and '*' are ambiguous in the rendered text; the hostile-server cases cover control bytes
		}
		if piece, found := leak(got, pass, false); found {
			t.Errorf("piece %q of %q shows in %q (from %q)", piece, pass, got, out)
		}
	})
}
