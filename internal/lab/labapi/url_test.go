package labapi

import (
	"errors"
	"testing"
)

// TestNewClientAddress: a lab host is named by an IP literal (any: a lab in a test's
// network namespace listens on the namespace's addresses) or localhost, with a port;
// anything else, a host name above all, is refused as a usage error before any request
// or lookup.
func TestNewClientAddress(t *testing.T) {
	ok := map[string]string{
		"":                        "http://127.0.0.1:7780",
		"http://127.0.0.1:7780":   "http://127.0.0.1:7780",
		"127.0.0.1:7780":          "http://127.0.0.1:7780",
		" http://127.0.3.1:9/ ":   "http://127.0.3.1:9",
		"http://[::1]:7780":       "http://[::1]:7780",
		"[::1]:7780":              "http://[::1]:7780",
		"http://localhost:7780":   "http://localhost:7780",
		"LOCALHOST:7780":          "http://LOCALHOST:7780",
		"http://10.99.0.1:7780":   "http://10.99.0.1:7780",
		"http://127.0.0.1:7780?x": "http://127.0.0.1:7780",
	}
	for in, want := range ok {
		c, err := NewClient(in)
		if err != nil {
			t.Errorf("NewClient(%q): %v", in, err)
			continue
		}
		if c.URL() != want {
			t.Errorf("NewClient(%q).URL() = %q, want %q", in, c.URL(), want)
		}
		c.Close()
	}
	for _, in := range []string{
		"notaurl", "http://notaurl", "http://lab.example:7780", "lab.example:7780", "http://localhost.example:7780",
		"https://127.0.0.1:7780", "ftp://127.0.0.1:21", "http://127.0.0.1", "http://127.0.0.1:0", "http://127.0.0.1:65536",
		"http://127.0.0.1:port", "http://user:pw@127.0.0.1:7780", "http://[fe80::1%25eth0]:7780", "http://127.1:7780",
		"http://0x7f.0.0.1:7780", "http://:7780", "://", "http://%zz",
	} {
		if c, err := NewClient(in); !errors.Is(err, ErrBadURL) {
			t.Errorf("NewClient(%q) = %v, %v; want ErrBadURL", in, c, err)
		}
	}
	_, err := NewClient("notaurl")
	const want = `"notaurl" is not a lab host address: want http://IP:PORT, IP:PORT or http://localhost:PORT (an IP address or localhost, never a name to look up)`
	if err == nil || err.Error() != want {
		t.Errorf("NewClient(notaurl) = %v\nwant %s", err, want)
	}
}
