package probe

import (
	"bufio"
	"errors"
	"fmt"
	"strings"
)

// Bounds on what a line-protocol probe (FTP, SMTP) reads from a server. A hostile server
// cannot make one reply hold more than MaxReplyLines lines of MaxLineLen bytes, nor a whole
// session read more than MaxSessionBytes.
const (
	// MaxLineLen bounds one reply line, line end included. RFC 5321 allows 512; FTP
	// servers' banners stay well below 1 KiB.
	MaxLineLen = 1024
	// MaxReplyLines bounds the lines of one multi-line reply.
	MaxReplyLines = 64
	// MaxSessionBytes bounds everything a probe reads on one connection.
	MaxSessionBytes = 64 << 10
	// MaxRepliesText bounds Result.Replies.
	MaxRepliesText = 4096
)

// Errors ReadReply returns for replies it refuses; I/O errors are returned as they come.
var (
	// ErrLineTooLong is a reply line longer than MaxLineLen.
	ErrLineTooLong = errors.New("reply line too long")
	// ErrTooManyLines is a multi-line reply longer than MaxReplyLines.
	ErrTooManyLines = errors.New("reply has too many lines")
	// ErrMalformed is a reply that does not start with a three-digit code.
	ErrMalformed = errors.New("malformed reply")
)

// Reply is one FTP (RFC 959 §4.2) or SMTP (RFC 5321 §4.2) server reply.
type Reply struct {
	// Code is the reply code, 100..599; 0 when no valid first line was read.
	Code int
	// Lines are the reply's lines as received, without their line ends.
	Lines []string
}

// ReadReply reads one reply from r. A reply is either one line "xyz text" or the RFC 959
// multi-line form: "xyz-text", any lines, then a line starting with "xyz " (or exactly
// "xyz"). Lines may end in CRLF or a bare LF. On error, the Reply holds the lines read so
// far (a partial last line included), so the caller can report what the server said.
//
// It is written on bufio rather than net/textproto because textproto reads a line of any
// length into memory: a probe must stay bounded against a server sending endless garbage.
func ReadReply(r *bufio.Reader) (Reply, error) {
	var rep Reply
	line, err := readLine(r)
	if line != "" || err == nil {
		rep.Lines = append(rep.Lines, line)
	}
	if err != nil {
		return rep, err
	}
	code, sep, ok := parseCode(line)
	if !ok {
		return rep, fmt.Errorf("%w: first line has no reply code", ErrMalformed)
	}
	rep.Code = code
	if sep != '-' {
		return rep, nil
	}
	prefix := line[:3]
	for {
		if len(rep.Lines) >= MaxReplyLines {
			return rep, ErrTooManyLines
		}
		line, err = readLine(r)
		if line != "" || err == nil {
			rep.Lines = append(rep.Lines, line)
		}
		if err != nil {
			return rep, err
		}
		if line == prefix || strings.HasPrefix(line, prefix+" ") {
			return rep, nil
		}
	}
}

// parseCode reads the code of a reply's first line and the byte after it: ' ', '-' or 0
// for a line that is the code alone.
func parseCode(line string) (code int, sep byte, ok bool) {
	if len(line) < 3 || line[0] < '1' || line[0] > '5' || !isDigit(line[1]) || !isDigit(line[2]) {
		return 0, 0, false
	}
	code = int(line[0]-'0')*100 + int(line[1]-'0')*10 + int(line[2]-'0')
	if len(line) == 3 {
		return code, 0, true
	}
	if line[3] != ' ' && line[3] != '-' {
		return 0, 0, false
	}
	return code, line[3], true
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// readLine reads one line of at most MaxLineLen bytes and returns it without its line end.
// Reading byte by byte from the bufio.Reader keeps the bound exact whatever the buffer size.
func readLine(r *bufio.Reader) (string, error) {
	var b strings.Builder
	for b.Len() < MaxLineLen {
		c, err := r.ReadByte()
		if err != nil {
			return strings.TrimSuffix(b.String(), "\r"), err
		}
		if c == '\n' {
			return strings.TrimSuffix(b.String(), "\r"), nil
		}
		b.WriteByte(c)
	}
	return b.String(), ErrLineTooLong
}
