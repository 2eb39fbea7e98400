package labapi

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
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

// hungHost is a listener that accepts connections and never answers.
func hungHost(t *testing.T) *Client {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	c, err := NewClient("http://" + l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// TestClientCallerDeadlineIsNotUnreachable: a request that ends because the caller's own
// deadline passed says so and wraps context.DeadlineExceeded; it does not blame the lab
// host.
func TestClientCallerDeadlineIsNotUnreachable(t *testing.T) {
	c := hungHost(t).WithTimeout(time.Minute) // only the caller's deadline can end it
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.ServiceStatus(ctx, "W3SVC")
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrUnreachable) ||
		!strings.Contains(err.Error(), "gave up on /v1/service before it answered: the caller's deadline passed") {
		t.Fatalf("caller's deadline: %v, want context.DeadlineExceeded, not ErrUnreachable", err)
	}
}

// TestClientCallerCancelIsNotUnreachable: a cancelled caller is reported as cancelled.
func TestClientCallerCancelIsNotUnreachable(t *testing.T) {
	c := hungHost(t).WithTimeout(time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Host(ctx)
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "the caller was cancelled") {
		t.Fatalf("cancelled caller: %v, want context.Canceled, not ErrUnreachable", err)
	}
}

// TestClientOwnTimeoutIsUnreachable: a lab host that does not answer within the client's
// own timeout, while the caller still has time, is the lab host's fault: ErrUnreachable.
func TestClientOwnTimeoutIsUnreachable(t *testing.T) {
	c := hungHost(t).WithTimeout(100 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := c.ServiceStatus(ctx, "W3SVC")
	if !errors.Is(err, ErrUnreachable) || errors.Is(err, context.DeadlineExceeded) && strings.Contains(err.Error(), "gave up") {
		t.Fatalf("hung lab host: %v, want ErrUnreachable", err)
	}
}
