package watch

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/action"
)

// serve starts h's daemon's status server on a loopback port with limits; it stops when
// the test ends.
func serve(t *testing.T, h *harness, remote bool, limits ServerLimits, counter *countingListener) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if counter != nil {
		counter.Listener = ln
		ln = counter
	}
	srv := h.d.Server(remote, limits)
	go func() { _ = srv.Serve(Listener(ln, limits)) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// countingListener counts the connections accepted and not yet closed, and their peak:
// the descriptors the server holds for its clients.
type countingListener struct {
	net.Listener
	mu         sync.Mutex
	open, peak int
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.open++
	l.peak = max(l.peak, l.open)
	l.mu.Unlock()
	return &countedConn{Conn: c, l: l}, nil
}

type countedConn struct {
	net.Conn
	l    *countingListener
	once sync.Once
}

func (c *countedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.l.mu.Lock()
		c.l.open--
		c.l.mu.Unlock()
	})
	return err
}

// get sends one request with the given Host, within 5 s.
func get(t *testing.T, addr, host, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s (Host %s): %v", path, host, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestStatusServerRefusesRebinding: a Host that is not a loopback IP, localhost or the
// listen address is refused on every path (a page that made its own name resolve to
// 127.0.0.1 reads nothing); --listen-remote lifts the guard.
func TestStatusServerRefusesRebinding(t *testing.T) {
	h := newHarness(t, (&script{}).checks(action.Success), file("w.toml", testWatch, "a"))
	addr := serve(t, h, false, DefaultServerLimits, nil)
	_, port, _ := net.SplitHostPort(addr)
	for _, path := range []string{"/", "/metrics", "/healthz"} {
		for _, host := range []string{"attacker.example", "attacker.example:" + port, "localhost.attacker.example:" + port, "10.0.0.1:" + port} {
			if code, body := get(t, addr, host, path); code != http.StatusForbidden || !strings.Contains(body, "refused") {
				t.Errorf("GET %s with Host %s = %d %.60q, want 403", path, host, code, body)
			}
		}
		for _, host := range []string{addr, "localhost:" + port, "127.0.0.2:" + port, "[::1]:" + port} {
			if code, _ := get(t, addr, host, path); code != http.StatusOK {
				t.Errorf("GET %s with Host %s = %d, want 200", path, host, code)
			}
		}
	}
	remote := serve(t, h, true, DefaultServerLimits, nil)
	if code, _ := get(t, remote, "status.example.net", "/healthz"); code != http.StatusOK {
		t.Errorf("with --listen-remote, Host status.example.net = %d, want 200", code)
	}
}

// TestStatusServerBoundsConnections: a flood of connections that send nothing never has
// more than MaxConns accepted at once (the rest wait in the kernel's queue, costing no
// descriptor), the checks go on meanwhile, and /healthz answers once the flood drops.
func TestStatusServerBoundsConnections(t *testing.T) {
	sc := &script{}
	h := newHarness(t, sc.checks(action.Success), file("w.toml", testWatch, "a"))
	limits := DefaultServerLimits
	limits.MaxConns, limits.ReadHeader, limits.Idle = 8, 500*time.Millisecond, 500*time.Millisecond
	counter := &countingListener{}
	addr := serve(t, h, false, limits, counter)
	const flood = 200
	var conns []net.Conn
	for range flood {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		conns = append(conns, c)
	}
	// The checks run while the flood holds its connections.
	for i := range 5 {
		h.tick(time.Duration(min(i, 1)) * time.Second)
	}
	for _, r := range h.d.Status() {
		if r.State != StateUp {
			t.Errorf("%s is %s during the flood, want up", r.Tag, r.State)
		}
	}
	for _, c := range conns {
		c.Close()
	}
	if code, body := get(t, addr, addr, "/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("/healthz after the flood = %d %q", code, body)
	}
	counter.mu.Lock()
	defer counter.mu.Unlock()
	if counter.peak > limits.MaxConns {
		t.Errorf("%d connections accepted at once, want at most %d", counter.peak, limits.MaxConns)
	}
}

// TestStatusServerClosesIdleConnections: a connection that sends no request, or stays
// idle after one, is closed by the server within the limits.
func TestStatusServerClosesIdleConnections(t *testing.T) {
	h := newHarness(t, (&script{}).checks(action.Success), file("w.toml", testWatch, "a"))
	limits := DefaultServerLimits
	limits.ReadHeader, limits.Idle = 300*time.Millisecond, 300*time.Millisecond
	addr := serve(t, h, false, limits, nil)
	for _, name := range []string{"silent", "idle after a request"} {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(5 * time.Second)) // this test's own bound
		r := bufio.NewReader(c)
		if name != "silent" {
			if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: "+addr+"\r\n\r\n"); err != nil {
				t.Fatal(err)
			}
			resp, err := http.ReadResponse(r, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		start := time.Now()
		_, err = r.ReadByte()
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Errorf("%s connection still open after %s, want it closed after about 300 ms", name, time.Since(start).Round(time.Millisecond))
		} else if err == nil {
			t.Errorf("%s connection: unexpected data", name)
		}
	}
}
