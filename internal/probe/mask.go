package probe

import (
	"strings"
	"unicode/utf8"
)

// secretMask replaces every part of a server's replies that could be the password.
const secretMask = "********"

// minFragment is the length (in characters) from which a piece of the password is
// masked wherever it appears in the replies. Shorter pieces are everyday text ("53",
// "ok"), so masking them would garble every reply; a password shorter than this is
// masked whole, a one-letter password as every such letter.
const minFragment = 3

// maskedTranscript renders reply lines for an event (SPEC S3: $FTPRESPONSE is the
// server's replies, never the password). It masks every run of characters that spells a
// piece of the secret of minFragment or more characters, where the spelling is read
// across everything a hostile server could slip between the pieces of an echoed
// password to get them past a plain search:
//   - control characters (CR, NUL, ESC ... which are shown as '?');
//   - line ends, so a password split over two lines, or cut at the line limit and
//     continued on the next, is still found;
//   - the reply codes starting each line ("530-", "530 "), in a second reading that
//     takes them as ordinary characters (a server could spell digits in its codes).
//
// This guarantees that in either reading of the rendered text (controls and line ends
// skipped; codes skipped or not), with each mask as a break, no minFragment characters
// in a row are characters in a row of the secret: every such window of either reading
// was masked in that reading's pass over the unmasked text, and masking only adds breaks.
// It does not stop a server that re-encodes the password (reverses it, spells it with
// spaces between): a server holds the password it was sent and can always do that; what
// iiskit ensures is that it never copies the secret into an event.
func maskedTranscript(lines []string, secret string) string {
	var els []element
	for i, line := range lines {
		if i > 0 {
			els = append(els, element{show: "\n", transparent: true, lineEnd: true})
		}
		els = appendLine(els, line)
	}
	maskSecret(els, secret)
	var b strings.Builder
	masking := false
	for _, e := range els {
		if e.masked {
			if !masking {
				b.WriteString(secretMask)
			}
			masking = true
			continue
		}
		masking = false
		b.WriteString(e.show)
	}
	return b.String()
}

// element is one character of the replies: how it is shown, the rune it is matched as,
// whether matching skips it (transparent), and whether it is a line end (never masked: a
// password holds none) or part of a line's reply code.
type element struct {
	show        string
	key         rune
	transparent bool
	lineEnd     bool
	code        bool
	masked      bool
}

// appendLine adds one reply line, character by character, its reply-code prefix marked.
func appendLine(els []element, line string) []element {
	codeLen := codePrefixLen(line)
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRuneInString(line[i:])
		key, transparent := matchKey(r)
		show := string(r)
		if r == utf8.RuneError || isUnprintable(r) {
			show = "?"
		}
		els = append(els, element{show: show, key: key, transparent: transparent, code: i < codeLen})
		i += size
	}
	return els
}

// codePrefixLen is the length of a line's leading reply code with its separator
// ("530-", "530 ", or "530" alone), 0 when the line has none.
func codePrefixLen(line string) int {
	_, sep, ok := parseCode(line)
	switch {
	case !ok:
		return 0
	case sep == 0:
		return 3
	}
	return 4
}

// matchKey returns the rune a character is matched as: C0 controls and DEL are skipped
// (transparent); whatever is shown as '?' (C1 controls, invalid UTF-8) matches as
// '?', so a password's '?' and a server's stray byte cannot differ only in how they are
// shown.
func matchKey(r rune) (key rune, transparent bool) {
	switch {
	case r < 0x20 && r != '\t' || r == 0x7f:
		return 0, true
	case r == utf8.RuneError || isUnprintable(r):
		return '?', false
	}
	return r, false
}

// isUnprintable is what an event shows as '?', besides invalid UTF-8: control characters
// (but tab), DEL and the C1 controls, which could drive a terminal.
func isUnprintable(r rune) bool {
	return r != '\t' && (r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0)
}

// maskSecret marks the elements to mask, in the two readings of maskedTranscript.
func maskSecret(els []element, secret string) {
	var key []rune
	for _, r := range secret {
		if k, transparent := matchKey(r); !transparent {
			key = append(key, k)
		}
	}
	k := min(minFragment, len(key))
	if k == 0 {
		return
	}
	grams := make(map[string]bool, len(key))
	for i := 0; i+k <= len(key); i++ {
		grams[string(key[i:i+k])] = true
	}
	maskReading(els, grams, k, true)
	maskReading(els, grams, k, false)
}

// maskReading masks every element spanned by a window of k matchable elements that spells
// a k-gram of the secret; skipCodes says whether reply codes are skipped in this reading
// (and so left shown) or matched like any character.
func maskReading(els []element, grams map[string]bool, k int, skipCodes bool) {
	var skel []int // indices of the elements this reading matches
	for i, e := range els {
		if !e.transparent && !(skipCodes && e.code) {
			skel = append(skel, i)
		}
	}
	window := make([]rune, k)
	for j := 0; j+k <= len(skel); j++ {
		for m := range k {
			window[m] = els[skel[j+m]].key
		}
		if !grams[string(window)] {
			continue
		}
		for i := skel[j]; i <= skel[j+k-1]; i++ {
			if !els[i].lineEnd && !(skipCodes && els[i].code) {
				els[i].masked = true
			}
		}
	}
}
