package resource

import (
	"fmt"
	"strings"
)

// checkText refuses a name holding a control character: C0 (a line break, an ESC, a NUL),
// DEL, C1, or a Unicode line or paragraph separator. IIS site names and cluster tags
// never need one, and in an event or a log line one could forge a line or drive a
// terminal. what names the field in the message; the offending character is shown
// escaped, never raw.
func checkText(what, s string) error {
	i := strings.IndexFunc(s, isControl)
	if i < 0 {
		return nil
	}
	r := []rune(s[i:])[0]
	return fmt.Errorf("%s contains the control character %U at byte %d", what, r, i)
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || r == 0x2028 || r == 0x2029
}
