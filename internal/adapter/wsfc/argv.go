package wsfc

import (
	"errors"
	"strings"
)

// QuoteArg quotes s as one argument of a Windows command line, so that
// CommandLineToArgvW (and the C runtime's parser, and Go's) gives s back unchanged. It
// follows the same rules as Go's syscall.EscapeArg, which exists only in Windows builds;
// the script is generated on any system, so the rules live here.
//
// An argument without blanks or quotes travels as it is. Otherwise it is enclosed in
// quotes; a quote inside becomes \", and backslashes are doubled where they precede a
// quote (inside, or the closing one), since only there do they mean something.
func QuoteArg(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n\v\r\"") {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	slashes := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\':
			slashes++
		case '"':
			b.WriteString(strings.Repeat(`\`, slashes+1))
			slashes = 0
		default:
			slashes = 0
		}
		b.WriteByte(c)
	}
	b.WriteString(strings.Repeat(`\`, slashes))
	b.WriteByte('"')
	return b.String()
}

// QuoteProgram quotes the program path, the first word of a command line, which
// CommandLineToArgvW reads by a simpler rule: everything up to the closing quote, with no
// escapes. A path holding a quote cannot be written (Windows file names cannot hold one).
func QuoteProgram(path string) (string, error) {
	if path == "" {
		return "", errors.New("empty program path")
	}
	if strings.ContainsAny(path, "\"\x00") {
		return "", errors.New("a program path cannot contain a quote")
	}
	return `"` + path + `"`, nil
}

// CommandLine joins args, each quoted with QuoteArg, with single spaces: the arguments
// after the program name.
func CommandLine(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = QuoteArg(a)
	}
	return strings.Join(q, " ")
}
