package resource

import (
	"strings"
	"testing"
)

// TestHardening7_ControlCharactersInTagsAndSites: Validate refuses a tag or a site with a
// line break, an ESC, a NUL, DEL, a C1 control or a Unicode line separator, and accepts
// ordinary names with spaces, quotes and non-ASCII letters.
func TestHardening7_ControlCharactersInTagsAndSites(t *testing.T) {
	for _, bad := range []string{"a\nb", "a\rb", "a\x00b", "a\x1b[31mb", "a\tb", "a\x7fb", "a\u0085b", "a\u2028b"} {
		for _, r := range []Resource{{Tag: bad, Site: "s", Type: W3}, {Tag: "t", Site: bad, Type: W3}} {
			err := r.Validate()
			if err == nil || !strings.Contains(err.Error(), "control character U+") {
				t.Errorf("Validate(%q, %q) = %v", r.Tag, r.Site, err)
			}
			if err != nil && strings.ContainsAny(err.Error(), "\n\r\x00\x1b") {
				t.Errorf("the error quotes the control character raw: %q", err)
			}
		}
	}
	for _, good := range []string{"Default Web Site", `x"; Remove-Item C:\ -Recurse; "`, "Site ÉTÉ 日本", "ERROR (x)"} {
		if err := (Resource{Tag: good, Site: good, Type: W3}).Validate(); err != nil {
			t.Errorf("Validate(%q) = %v", good, err)
		}
	}
}
