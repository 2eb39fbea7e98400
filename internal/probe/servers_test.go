package probe

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// quick is the stage timeout of the hostile-server tests, and bound how long such a probe
// may take in all: generous for -race on a loaded machine, far below "hangs".
const (
	quick = 300 * time.Millisecond
	bound = 4 * time.Second
)

// withinBound runs one probe against a hostile server and returns its result, failing
// the test by name as soon as bound has passed without one: a stage without its deadline
// is then a named failure in seconds, not the whole run's timeout minutes later. The
// probe left running is released by the server's cleanup, which closes its connections.
func withinBound(t *testing.T, probe func() Result) Result {
	t.Helper()
	done := make(chan Result, 1)
	start := time.Now()
	go func() { done <- probe() }()
	timer := time.NewTimer(bound)
	defer timer.Stop()
	select {
	case r := <-done:
		if took := time.Since(start); took > bound {
			t.Errorf("took %v, want under %v", took, bound)
		}
		return r
	case <-timer.C:
		t.Fatalf("no result after %v against a hostile server: a stage deadline is missing", bound)
		return Result{}
	}
}

// checkLeaks fails the test if, once everything the test started has been cleaned up, more
// goroutines run than before it. Call it first, so its cleanup runs last.
func checkLeaks(t *testing.T) {
	t.Helper()
	base := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for {
			n := runtime.NumGoroutine()
			if n <= base {
				return
			}
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<16)
				buf = buf[:runtime.Stack(buf, true)]
				t.Errorf("goroutines: %d before the test, %d after\n%s", base, n, buf)
				return
			}
			runtime.Gosched()
			time.Sleep(10 * time.Millisecond) // polling with a deadline, not synchronisation
		}
	})
}

// server is a loopback TCP server that runs handle on every connection. done is closed
// when the test ends, to release handlers that wait forever.
type server struct {
	ln    net.Listener
	done  chan struct{}
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns []net.Conn
	n     int
}

func newServer(t *testing.T, handle func(c net.Conn, done <-chan struct{})) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &server{ln: ln, done: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, c)
			s.n++
			s.mu.Unlock()
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer c.Close()
				handle(c, s.done)
			}()
		}
	}()
	t.Cleanup(func() {
		close(s.done)
		ln.Close()
		s.mu.Lock()
		for _, c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

func (s *server) addr() string { return s.ln.Addr().String() }

func (s *server) accepted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// refusedAddr returns a loopback address where nothing listens.
func refusedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// The hostile behaviours, shared by every protocol's tests. Each sends its prefix (a
// greeting, say) first, so that a probe gets past that stage before the hostility.
func silent(prefix string) func(net.Conn, <-chan struct{}) {
	return func(c net.Conn, done <-chan struct{}) {
		c.Write([]byte(prefix))
		go drain(c)
		<-done
	}
}

func trickle(prefix, body string) func(net.Conn, <-chan struct{}) {
	return func(c net.Conn, done <-chan struct{}) {
		c.Write([]byte(prefix))
		go drain(c)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for i := 0; ; i++ {
			if _, err := c.Write([]byte{body[i%len(body)]}); err != nil {
				return
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}
}

func garbage(prefix string) func(net.Conn, <-chan struct{}) {
	return func(c net.Conn, done <-chan struct{}) {
		c.Write([]byte(prefix))
		go drain(c)
		c.Write(bytes.Repeat([]byte("garbage! "), (1<<20)/9))
		<-done
	}
}

func reset(prefix string) func(net.Conn, <-chan struct{}) {
	return func(c net.Conn, done <-chan struct{}) {
		c.Write([]byte(prefix))
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetLinger(0)
		}
		c.Close()
	}
}

// afterRequest runs handle once the client has sent an HTTP request's head, as a real
// server would; a server that talks first makes net/http log an "unsolicited response".
func afterRequest(handle func(net.Conn, <-chan struct{})) func(net.Conn, <-chan struct{}) {
	return func(c net.Conn, done <-chan struct{}) {
		c.SetReadDeadline(time.Now().Add(bound))
		br := bufio.NewReader(c)
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			if line == "\r\n" {
				break
			}
		}
		c.SetReadDeadline(time.Time{})
		handle(c, done)
	}
}

// talkThen sends greeting, answers the client's next lines with replies in order, then
// hands the connection to h: a server that behaves until a given stage.
func talkThen(greeting string, replies []string, h func(net.Conn, <-chan struct{})) func(net.Conn, <-chan struct{}) {
	return func(c net.Conn, done <-chan struct{}) {
		c.SetReadDeadline(time.Now().Add(bound))
		if _, err := c.Write([]byte(greeting)); err != nil {
			return
		}
		br := bufio.NewReader(c)
		for _, r := range replies {
			if _, err := br.ReadString('\n'); err != nil {
				return
			}
			if _, err := c.Write([]byte(r)); err != nil {
				return
			}
		}
		c.SetReadDeadline(time.Time{})
		h(c, done)
	}
}

// slowRecord is the start of a 16 KiB TLS handshake record, for trickle: a handshake
// that would take hours at one byte per second.
var slowRecord = "\x16\x03\x03\x3f\xff" + strings.Repeat("\x00", 64)

// drain reads and drops what the client sends until the connection closes.
func drain(c net.Conn) {
	buf := make([]byte, 4096)
	for {
		if _, err := c.Read(buf); err != nil {
			return
		}
	}
}

// scripted plays a line-protocol server: it sends greeting, then answers each line the
// client sends with answer(line); an answer of "" closes the connection. Everything the
// client sent is written to sent.
func scripted(greeting string, answer func(line string) string, sent *syncBuffer) func(net.Conn, <-chan struct{}) {
	return scriptedTLS(greeting, answer, sent, "", nil)
}

// scriptedTLS is scripted with a TLS upgrade: after answering the command upgrade (such
// as "AUTH TLS"), the server runs a TLS handshake with cfg and goes on over TLS.
func scriptedTLS(greeting string, answer func(line string) string, sent *syncBuffer, upgrade string, cfg *tls.Config) func(net.Conn, <-chan struct{}) {
	return func(c net.Conn, done <-chan struct{}) {
		c.SetDeadline(time.Now().Add(bound))
		if _, err := c.Write([]byte(greeting)); err != nil {
			return
		}
		var rw net.Conn = c
		br := bufio.NewReader(rw)
		for {
			line, err := br.ReadString('\n')
			sent.WriteString(line)
			if err != nil {
				return
			}
			cmd := strings.TrimRight(line, "\r\n")
			out := answer(cmd)
			if out == "" {
				return
			}
			if _, err := rw.Write([]byte(out)); err != nil {
				return
			}
			if cfg != nil && strings.EqualFold(cmd, upgrade) && out[0] == '2' {
				tc := tls.Server(c, cfg)
				if tc.Handshake() != nil {
					return
				}
				rw = tc
				br = bufio.NewReader(rw)
			}
		}
	}
}

// testCert makes a self-signed certificate for "site.test" and 127.0.0.1, and a pool
// holding it.
func testCert(t *testing.T) (*tls.Config, *x509.CertPool, time.Time) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	notAfter := time.Now().Add(48 * time.Hour).Truncate(time.Second).UTC()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "site.test"},
		DNSNames:              []string{"site.test"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	cfg := &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}}}
	return cfg, pool, notAfter
}

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) WriteString(x string) {
	s.mu.Lock()
	s.b.WriteString(x)
	s.mu.Unlock()
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
