package resource

import (
	"strings"
	"testing"
)

// FuzzParseBinding checks that any input either fails cleanly or parses into a binding
// that prints back to an equivalent form and parses again to the same value.
func FuzzParseBinding(f *testing.F) {
	for _, s := range []string{
		"http/192.168.1.10:80:www.example.com", "https/[::1]:443:", "ftp/*:21:", "http/:8080:localhost",
		"net.tcp/808:*", "http/[2001:db8::10]:9443:x", "http/1.2.3.4:0:", "smtp/127.0.0.1:25:", "http/[::ffff:1.2.3.4]:80:",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseBinding(s)
		if err != nil {
			return
		}
		if b.Port == 0 || b.Protocol != strings.ToLower(b.Protocol) {
			t.Fatalf("ParseBinding(%q) = %+v", s, b)
		}
		again, err := ParseBinding(b.String())
		if err != nil {
			t.Fatalf("ParseBinding(%q) = %s, which does not parse again: %v", s, b, err)
		}
		if again != b {
			t.Fatalf("round trip of %q: %+v != %+v", s, again, b)
		}
	})
}
