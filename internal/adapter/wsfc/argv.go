package wsfc

import (
	"errors"
	"strings"
)

// QuoteArg quotes s as one argument of a Windows command line, so that
// CommandLineToArgvW (and the C runtime's parser, and Go's) gives s back unchanged. It
// writes exactly what Go's syscall.EscapeArg writes, which exists only in Windows builds;
// the script is generated on any system, so the rules live here too.
//
// An empty argument is "". Backslashes mean something only before a quote: there they
// are doubled and the quote becomes \". An argument with a blank or a tab is enclosed in
// quotes, and backslashes before the closing quote are doubled.
func QuoteArg(s string) string {
	if s == "" {
		return `""`
	}
	if !strings.ContainsAny(s, "\"\\ \t") {
		return s
	}
	blank := strings.ContainsAny(s, " \t")
	var b strings.Builder
	if blank {
		b.WriteByte('"')
	}
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
	if blank {
		b.WriteString(strings.Repeat(`\`, slashes))
		b.WriteByte('"')
	}
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
