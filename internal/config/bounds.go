package config

import (
	"fmt"
	"unicode/utf8"
)

// Bounds on a resource file, checked before the TOML decoder sees it.
//
// The decoder (BurntSushi/toml v1.6.0) does not bound itself: inline tables nested a few
// thousand deep exhaust memory, and a key of 100,000 dotted parts takes tens of seconds
// and gigabytes (measured; see the hardening tests). It has no option to limit either. It is
// otherwise the right tool (strict, with undecoded-key reporting and error positions), and
// a resource file needs neither deep nesting nor long keys, so rather than change parsers
// iiskit bounds the decoder's input: a size cap and a linear pre-scan for nesting and
// dotted-key length, which together bound the decoder's time and memory.
const (
	// MaxFileSize caps a resource file. One [[resource]] table is 50 to 300 bytes, so
	// 1 MiB holds thousands of resources, a hundred times what one cluster node protects,
	// while the decoder's worst case within all three bounds stays near 150 MB and half
	// a second (a file of nothing but short dotted keys: the decoder keeps about 1 KB per
	// key, so memory grows with the key count, which only the size cap bounds).
	MaxFileSize = 1 << 20
	// MaxNesting caps how deep arrays and inline tables nest ([[resource]] is 2 deep). No
	// key of the resource file takes an array or an inline table.
	MaxNesting = 32
	// MaxKeyParts caps the parts of one dotted key ("resource.tag" has 2); the resource
	// file's own keys are plain names, so 4 leaves room without feeding the decoder's
	// per-part cost.
	MaxKeyParts = 4
	// maxQuoted caps what an error message quotes from the file (a key, the decoder's
	// text): enough to recognise it, never the 200 KB a hostile key could be.
	maxQuoted = 200
)

// scanBounds checks data against MaxNesting and MaxKeyParts in one pass, returning the
// line of the first excess. It is a TOML lexer reduced to what changes the count: strings
// (basic, literal and their multi-line forms, where brackets and dots do not count) and
// comments. Where it disagrees with TOML on malformed input the decoder reports that
// input as a syntax error at or before the disagreement, so every prefix the decoder
// accepts has been counted as the decoder reads it.
func scanBounds(data []byte) (line int, err error) {
	line = 1
	depth, dots := 0, 0
	for i := 0; i < len(data); {
		c := data[i]
		switch c {
		case '\n':
			line++
			dots = 0
			i++
		case '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
		case '"', '\'':
			var n int
			i, n = skipString(data, i)
			line += n
		case '[', '{':
			depth++
			dots = 0
			if depth > MaxNesting {
				return line, fmt.Errorf("arrays or inline tables nested more than %d deep", MaxNesting)
			}
			i++
		case ']', '}':
			if depth > 0 {
				depth--
			}
			dots = 0
			i++
		case '=', ',':
			dots = 0
			i++
		case '.':
			// Outside strings a dot separates key parts, or is the one dot of a float or
			// a time: never more than a few between two separators in valid TOML values.
			dots++
			if dots >= MaxKeyParts {
				return line, fmt.Errorf("a dotted key with more than %d parts", MaxKeyParts)
			}
			i++
		default:
			i++
		}
	}
	return line, nil
}

// skipString returns the index just past the string starting at data[i] and the number of
// line ends inside it. A single-line string also ends at a line end (an error the decoder
// reports); an unterminated one runs to the end of data.
func skipString(data []byte, i int) (next, lines int) {
	q := data[i]
	multi := i+2 < len(data) && data[i+1] == q && data[i+2] == q
	if multi {
		i += 3
	} else {
		i++
	}
	for i < len(data) {
		c := data[i]
		switch {
		case c == '\\' && q == '"':
			if i+1 < len(data) && data[i+1] == '\n' {
				lines++
			}
			i += 2
		case c == '\n':
			if !multi {
				return i, lines
			}
			lines++
			i++
		case c == q && !multi:
			return i + 1, lines
		case c == q:
			run := 0
			for i+run < len(data) && data[i+run] == q {
				run++
			}
			if run >= 3 {
				// Up to two quotes just before the closing three belong to the content.
				return i + min(run, 5), lines
			}
			i += run
		default:
			i++
		}
	}
	return i, lines
}

// clip shortens s to maxQuoted bytes (on a rune boundary) for an error message.
func clip(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	cut := maxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s... (%d bytes)", s[:cut], len(s))
}
