package wsfc

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzQuoteArg: any argument, quoted and put after a program name, parses back whole.
func FuzzQuoteArg(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.ContainsRune(s, 0) {
			t.Skip("a command line cannot hold NUL")
		}
		got := commandLineToArgv(`"C:\iiskit.exe" ` + QuoteArg(s) + " next")
		if len(got) != 3 || got[1] != s || got[2] != "next" {
			t.Fatalf("QuoteArg(%q) = %s parses as %q", s, QuoteArg(s), got)
		}
	})
}

// FuzzLiteral: any UTF-8 text, written as a VBScript expression, evaluates back to itself.
func FuzzLiteral(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		expr, err := Literal(s)
		if !utf8.ValidString(s) {
			if err == nil {
				t.Fatalf("Literal accepted invalid UTF-8 %q", s)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if got, err := evalVBS(expr); err != nil || got != s {
			t.Fatalf("Literal(%q) = %s evaluates to %q (%v)", s, expr, got, err)
		}
	})
}
