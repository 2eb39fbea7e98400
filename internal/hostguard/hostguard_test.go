package hostguard

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestTrusted(t *testing.T) {
	arrived := &net.TCPAddr{IP: net.ParseIP("10.1.2.3"), Port: 9780}
	for host, want := range map[string]bool{
		"127.0.0.1:9780": true, "127.9.9.9": true, "[::1]:9780": true, "localhost:9780": true, "LOCALHOST": true,
		"10.1.2.3:9780":    true, // the address the connection arrived on
		"attacker.example": false, "attacker.example:9780": false, "localhost.attacker.example": false,
		"10.1.2.4:9780": false, "[fe80::1%eth0]:9780": false, "": false,
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Host = host
		r = r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, net.Addr(arrived)))
		if got := Trusted(r); got != want {
			t.Errorf("Trusted(Host %q) = %v, want %v", host, got, want)
		}
	}
}

func TestQuote(t *testing.T) {
	if got := Quote(strings.Repeat("a", 300)); len(got) != 105 {
		t.Errorf("Quote of 300 bytes is %d long, want it cut to 100 plus quotes and dots", len(got))
	}
}
