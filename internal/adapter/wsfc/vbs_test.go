package wsfc

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

func TestLiteral(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", `""`},
		{"abc", `"abc"`},
		{`a"b`, `"a""b"`},
		{"a\nb", `"a" & Chr(10) & "b"`},
		{"é", `ChrW(233)`},
		{"😀", `ChrW(55357) & ChrW(56832)`},
	} {
		got, err := Literal(c.in)
		if err != nil || got != c.want {
			t.Errorf("Literal(%q) = %s %v, want %s", c.in, got, err, c.want)
		}
	}
	if _, err := Literal("\xff"); err == nil {
		t.Error("invalid UTF-8 accepted")
	}
}

func TestLiteralRoundTrip(t *testing.T) {
	for _, s := range append(hostile, CommandLine(hostile)) {
		expr, err := Literal(s)
		if err != nil {
			t.Fatal(err)
		}
		if strings.ContainsFunc(expr, func(r rune) bool { return r < 0x20 || r >= 0x7f }) {
			t.Errorf("Literal(%q) is not printable ASCII: %s", s, expr)
		}
		got, err := evalVBS(expr)
		if err != nil || got != s {
			t.Errorf("Literal(%q) = %s evaluates to %q (%v)", s, expr, got, err)
		}
	}
}

var vbsTerm = regexp.MustCompile(`^(?:"((?:[^"]|"")*)"|(ChrW|Chr)\((\d+)\))`)

// evalVBS evaluates the expressions Literal writes: quoted literals, Chr(n) (n < 128,
// ASCII in every code page) and ChrW(n) joined by " & ", as VBScript does.
func evalVBS(expr string) (string, error) {
	var units []uint16
	for {
		m := vbsTerm.FindStringSubmatch(expr)
		if m == nil {
			return "", fmt.Errorf("not a term: %q", expr)
		}
		if m[2] != "" {
			n, err := strconv.Atoi(m[3])
			if err != nil || n > 0xffff || m[2] == "Chr" && n >= 0x80 {
				return "", fmt.Errorf("bad %s(%s): Chr is ASCII only, ChrW one UTF-16 unit", m[2], m[3])
			}
			units = append(units, uint16(n))
		} else {
			units = append(units, utf16.Encode([]rune(strings.ReplaceAll(m[1], `""`, `"`)))...)
		}
		expr = expr[len(m[0]):]
		if expr == "" {
			return string(utf16.Decode(units)), nil
		}
		if !strings.HasPrefix(expr, " & ") {
			return "", fmt.Errorf("no & before %q", expr)
		}
		expr = expr[3:]
	}
}
