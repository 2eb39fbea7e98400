package resource

import (
	"errors"
	"strings"
	"testing"
)

func TestParseBinding(t *testing.T) {
	tests := []struct {
		in, want   string // want is String() after a round trip
		unassigned bool
	}{
		{"http/192.168.1.10:80:www.example.com", "http/192.168.1.10:80:www.example.com", false},
		{"HTTP/*:80:", "http/*:80:", true},
		{"http/:8080:localhost", "http/*:8080:localhost", true},
		{"https/[::1]:443:", "https/[::1]:443:", false},
		{"https/[2001:db8::10]:9443:secure.example", "https/[2001:db8::10]:9443:secure.example", false},
		{"ftp/*:21:", "ftp/*:21:", true},
		{"ftp/127.0.0.2:2121:", "ftp/127.0.0.2:2121:", false},
		{"smtp/127.0.0.1:25:", "smtp/127.0.0.1:25:", false},
		{"http/127.0.0.1:65535:", "http/127.0.0.1:65535:", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			b, err := ParseBinding(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if b.String() != tc.want || b.Unassigned() != tc.unassigned {
				t.Errorf("= %s (unassigned %v), want %s (%v)", b, b.Unassigned(), tc.want, tc.unassigned)
			}
			again, err := ParseBinding(b.String())
			if err != nil || again != b {
				t.Errorf("round trip = %v, %v", again, err)
			}
		})
	}
}

func TestParseBindingErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"127.0.0.1:80:", `binding "127.0.0.1:80:": want protocol/IP:Port:HostHeader`},
		{"http/127.0.0.1:80", "the last colon is required"},
		{"http/127.0.0.1:0:", `port "0" is not a number from 1 to 65535`},
		{"http/127.0.0.1:65536:", `port "65536"`},
		{"http/127.0.0.1:eighty:", `port "eighty"`},
		{"http/localhost:80:", `IP address "localhost" is neither an address nor *`},
		{"http/::1:80:", "too many colons"},
		{"http/[::1:80:", "no closing bracket"},
		{"http/[127.0.0.1]:80:", "IPv6 addresses go in brackets, IPv4 ones do not"},
		{"http/[]:80:", "empty IPv6 address"},
		{"http/[fe80::1%eth0]:80:", "neither an address nor *"},
		{"http/127.0.0.1:80:a:b", "too many colons"},
		{"http/127.0.0.1:80:www\r\n.x", "control character"},
		{"/127.0.0.1:80:", "empty protocol"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := ParseBinding(tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
	if _, err := ParseBinding("net.tcp/808:*"); !errors.Is(err, ErrForeignProtocol) {
		t.Errorf("net.tcp: error = %v, want ErrForeignProtocol", err)
	}
}

func TestSameEndpoint(t *testing.T) {
	a, _ := ParseBinding("http/127.0.0.2:80:WWW.example.com")
	b, _ := ParseBinding("https/127.0.0.2:80:www.EXAMPLE.com")
	c, _ := ParseBinding("http/127.0.0.2:80:")
	star, _ := ParseBinding("http/*:80:")
	empty, _ := ParseBinding("http/:80:")
	if !a.SameEndpoint(b) || a.SameEndpoint(c) || !star.SameEndpoint(empty) || c.SameEndpoint(star) {
		t.Error("SameEndpoint compares IP, port and host header (case-insensitively) only")
	}
}

// TestSameEndpointBareStar: IIS 10 writes a catch-all binding as *:8080:* as well as
// *:8080: (a bare "*" is the empty host), so the two claim the same endpoint (R4).
func TestSameEndpointBareStar(t *testing.T) {
	star, _ := ParseBinding("http/*:8080:*")
	empty, _ := ParseBinding("http/*:8080:")
	wild, _ := ParseBinding("http/*:8080:*.local")
	if !star.SameEndpoint(empty) || !empty.SameEndpoint(star) || star.SameEndpoint(wild) {
		t.Error("a bare * host must be the empty host, and not a wildcard one")
	}
}

func TestParseType(t *testing.T) {
	for in, want := range map[string]Type{"w3": W3, "WEB": W3, "W3SVC": W3, "ftp": FTP, "MSFTPSVC": FTP, "ftpsvc": FTP, "smtp": SMTP, " SMTPSVC ": SMTP} {
		if got, err := ParseType(in); err != nil || got != want {
			t.Errorf("ParseType(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseType("gopher"); err == nil {
		t.Error("ParseType(gopher) succeeded")
	}
}

func TestSecretNeverPrints(t *testing.T) {
	c := Credentials{User: "probe", Password: "s3cret"}
	for _, s := range []string{fmtV(c), fmtPlusV(c), fmtGoV(c)} {
		if strings.Contains(s, "s3cret") {
			t.Errorf("secret printed: %s", s)
		}
	}
	if c.Password.Reveal() != "s3cret" {
		t.Error("Reveal lost the secret")
	}
}

func TestStatusRanges(t *testing.T) {
	r, err := ParseStatusRanges("200-399, 401")
	if err != nil || r.String() != "200-399,401" || !r.Accepts(302) || !r.Accepts(401) || r.Accepts(503) {
		t.Errorf("ranges = %v, %v", r, err)
	}
	if !(StatusRanges(nil)).Accepts(503) {
		t.Error("the empty list must accept every status")
	}
	for _, bad := range []string{"", "2xx", "399-200", "99", "600", "200-"} {
		if _, err := ParseStatusRanges(bad); err == nil {
			t.Errorf("ParseStatusRanges(%q) succeeded", bad)
		}
	}
}
