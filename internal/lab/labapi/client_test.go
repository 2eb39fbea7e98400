package labapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestClientAnswerBound: a listing is read however large it is up to the bound, and a
// server that sends without end is cut off there with a clear error, not a truncated
// answer.
func TestClientAnswerBound(t *testing.T) {
	defer func(old int64) { maxAnswer = old }(maxAnswer)
	maxAnswer = 64 << 10
	big := `[` + strings.Repeat(`{"name":"s","id":1,"types":["W3"],"state":"Started","bindings":[]},`, 600) + `{"name":"last","state":"Stopped"}]`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("type") == "FTP" {
			w.Write([]byte(`[{"name":"` + strings.Repeat("x", 1<<20))) // never ends within the bound
			return
		}
		w.Write([]byte(big))
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sites, err := c.Sites(context.Background(), "W3")
	if err != nil || len(sites) != 601 || sites[600].Name != "last" {
		t.Fatalf("a %d-byte listing: %d sites, %v", len(big), len(sites), err)
	}
	if _, err := c.Sites(context.Background(), "FTP"); !errors.Is(err, errAnswerTooLarge) {
		t.Fatalf("an endless answer: %v, want errAnswerTooLarge", err)
	}
}
