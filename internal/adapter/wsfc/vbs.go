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
// Control characters, which a literal cannot hold, become Chr(n) (the same in every code
// page); non-ASCII, which in the file would depend on the code page Windows Script Host
// reads it with, becomes ChrW(n) of its UTF-16 code units; all joined with &. The script
// file is therefore pure ASCII and means the same under every code page. (Wine 8's
// VBScript has no ChrW: there, only ASCII names can be tried.)
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
		case r < 0x80:
			flush()
			parts = append(parts, fmt.Sprintf("Chr(%d)", r))
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
