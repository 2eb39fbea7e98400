package probe

import (
	"bufio"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestReadReply(t *testing.T) {
	long := strings.Repeat("x", MaxLineLen)
	tests := []struct {
		name    string
		in      string
		want    Reply
		wantErr error // nil, a sentinel, or io.EOF / io.ErrUnexpectedEOF-like
		rest    string
	}{
		{"one line", "220 ready\r\nnext", Reply{220, []string{"220 ready"}}, nil, "next"},
		{"bare LF", "230 ok\n", Reply{230, []string{"230 ok"}}, nil, ""},
		{"code alone", "250\r\n", Reply{250, []string{"250"}}, nil, ""},
		{"multi-line", "230-a\r\n230-b\r\n c\r\n230 end\r\n", Reply{230, []string{"230-a", "230-b", " c", "230 end"}}, nil, ""},
		{"multi-line ended by code alone", "211-a\r\n211\r\n", Reply{211, []string{"211-a", "211"}}, nil, ""},
		{"other code inside is text", "530-a\r\n230 b\r\n530 c\r\n", Reply{530, []string{"530-a", "230 b", "530 c"}}, nil, ""},
		{"code followed by letter", "220x\r\n", Reply{0, []string{"220x"}}, ErrMalformed, ""},
		{"code 600", "600 no\r\n", Reply{0, []string{"600 no"}}, ErrMalformed, ""},
		{"garbage", "GET / HTTP/1.1\r\n", Reply{0, []string{"GET / HTTP/1.1"}}, ErrMalformed, ""},
		{"empty line", "\r\n", Reply{0, []string{""}}, ErrMalformed, ""},
		{"no line end", "220 ready", Reply{0, []string{"220 ready"}}, io.EOF, ""},
		{"nothing", "", Reply{}, io.EOF, ""},
		{"unfinished multi-line", "220-a\r\n220-b\r\n", Reply{220, []string{"220-a", "220-b"}}, io.EOF, ""},
		{"line too long", long + "\r\n", Reply{0, []string{long}}, ErrLineTooLong, "\r\n"},
		{"longest line", long[:MaxLineLen-5] + "\r\n", Reply{0, []string{long[:MaxLineLen-5]}}, ErrMalformed, ""},
		{"too many lines", "220-a\r\n" + strings.Repeat("b\r\n", MaxReplyLines+5), Reply{}, ErrTooManyLines, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			br := bufio.NewReader(strings.NewReader(tc.in))
			got, err := ReadReply(br)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr == ErrTooManyLines {
				if len(got.Lines) != MaxReplyLines {
					t.Errorf("%d lines, want %d", len(got.Lines), MaxReplyLines)
				}
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
			rest, _ := io.ReadAll(br)
			if string(rest) != tc.rest {
				t.Errorf("left %q unread, want %q", rest, tc.rest)
			}
		})
	}
}

// TestPrintable: a server's line is made safe for an event: invalid UTF-8 and control
// characters (a terminal escape, a NUL) are shown as '?'.
func TestPrintable(t *testing.T) {
	got := maskedTranscript([]string{"220 \x1b[31mred\x00 \xff tab\there é"}, "")
	want := "220 ?[31mred? ? tab\there é"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// FuzzReadReply feeds arbitrary server output to the reply reader: it must never panic,
// never hold more than its bounds, and every reply it accepts must have RFC 959's shape.
func FuzzReadReply(f *testing.F) {
	for _, s := range []string{
		"220 (vsFTPd 3.0.3)\r\n",
		"220-Microsoft FTP Service\r\n220 ready\r\n331 Password required\r\n230 ok\r\n",
		"230-a\n 230 b\n230 end\n",
		"211-x\r\n211\r\n",
		"120 wait\r\n220 ok\r\n",
		"5",
		"999 x\r\n",
		"220-" + strings.Repeat("y", 2000) + "\r\n",
		"220-a\r\n" + strings.Repeat("\r\n", 100),
		"\xff\xfe\x00\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		br := bufio.NewReader(strings.NewReader(string(data)))
		for i := 0; i <= len(data); i++ {
			rep, err := ReadReply(br)
			if len(rep.Lines) > MaxReplyLines {
				t.Fatalf("%d lines, bound %d", len(rep.Lines), MaxReplyLines)
			}
			for _, l := range rep.Lines {
				if len(l) > MaxLineLen {
					t.Fatalf("line of %d bytes, bound %d", len(l), MaxLineLen)
				}
				if strings.Contains(l, "\n") {
					t.Fatalf("line holds a line end: %q", l)
				}
			}
			if err != nil {
				return
			}
			checkReplyShape(t, rep)
		}
	})
}

func checkReplyShape(t *testing.T, rep Reply) {
	t.Helper()
	if rep.Code < 100 || rep.Code > 599 || len(rep.Lines) == 0 {
		t.Fatalf("accepted %#v", rep)
	}
	first, last := rep.Lines[0], rep.Lines[len(rep.Lines)-1]
	code := first[:3]
	if len(rep.Lines) == 1 {
		if len(first) > 3 && first[3] != ' ' {
			t.Fatalf("single line %q", first)
		}
		return
	}
	if first[3] != '-' {
		t.Fatalf("multi-line reply starts %q", first)
	}
	if last != code && !strings.HasPrefix(last, code+" ") {
		t.Fatalf("multi-line reply %q ends %q", code, last)
	}
	for _, l := range rep.Lines[1 : len(rep.Lines)-1] {
		if l == code || strings.HasPrefix(l, code+" ") {
			t.Fatalf("reply goes on after its last line %q", l)
		}
	}
}
