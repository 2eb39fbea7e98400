package wsfc

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Literal writes s as a VBScript string expression whose value is exactly s.
//
// Printable ASCII goes into a quoted literal ("" for a quote, VBScript's only escape).
// Everything else (control characters, which a literal cannot hold, and non-ASCII, which
// would depend on the code page Windows Script Host reads the file with) becomes
// ChrW(n) of its UTF-16 code units, joined with &. The script file is therefore pure
// ASCII and means the same under every code page.
func Literal(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", errors.New("not valid UTF-8")
	}
	var parts []string
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, `"`+lit.String()+`"`)
			lit.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '"':
			lit.WriteString(`""`)
		case r >= 0x20 && r < 0x7f:
			lit.WriteRune(r)
		default:
			flush()
			for _, u := range utf16.Encode([]rune{r}) {
				parts = append(parts, fmt.Sprintf("ChrW(%d)", u))
			}
		}
	}
	flush()
	if len(parts) == 0 {
		return `""`, nil
	}
	return strings.Join(parts, " & "), nil
}
