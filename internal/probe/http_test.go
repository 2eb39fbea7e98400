package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/resource"
)

func mustRanges(t *testing.T, s string) resource.StatusRanges {
	t.Helper()
	rs, err := resource.ParseStatusRanges(s)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestHTTPStatus(t *testing.T) {
	tests := []struct {
		name   string
		status int
		expect string
		want   Code
	}{
		{"200 is an answer", 200, "", OK},
		{"500 is an answer", 500, "", OK},
		{"404 is an answer", 404, "", OK},
		{"redirect is an answer, not followed", 302, "", OK},
		{"503 outside expect_status", 503, "200-399", HTTPNoAnswer},
		{"200 inside expect_status", 200, "200-399", OK},
		{"401 listed", 401, "200-399,401", OK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkLeaks(t)
			var hits int
			var mu sync.Mutex
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				hits++
				mu.Unlock()
				if tc.status == 302 {
					w.Header().Set("Location", "/elsewhere")
				}
				w.WriteHeader(tc.status)
				w.Write([]byte(strings.Repeat("body ", 10000)))
			}))
			defer srv.Close()
			target := HTTPTarget{Addr: srv.Listener.Addr().String(), Timeout: 2 * time.Second}
			if tc.expect != "" {
				target.ExpectStatus = mustRanges(t, tc.expect)
			}
			r := HTTP(context.Background(), target)
			if r.Code != tc.want || r.Status != tc.status {
				t.Errorf("got code %v status %d (%v), want %v status %d", r.Code, r.Status, r.Err, tc.want, tc.status)
			}
			if (r.Err == nil) != (tc.want == OK) {
				t.Errorf("err %v with code %v", r.Err, r.Code)
			}
			mu.Lock()
			defer mu.Unlock()
			if hits != 1 {
				t.Errorf("server saw %d requests, want 1", hits)
			}
		})
	}
}

func TestHTTPRequestShape(t *testing.T) {
	tests := []struct {
		name, host, url      string
		wantHost, wantTarget string // wantHost "" means the dialled address
	}{
		{"defaults", "", "", "", "/"},
		{"host header", "www.example.com", "/health", "www.example.com", "/health"},
		{"absolute URL: host ignored, path and query kept", "site.test", "http://elsewhere.invalid:9999/a%2Fb/c?x=1&y=2", "site.test", "/a%2Fb/c?x=1&y=2"},
		{"path with query", "", "/status?full", "", "/status?full"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkLeaks(t)
			type seen struct{ host, target, ua, conn string }
			got := make(chan seen, 1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got <- seen{r.Host, r.RequestURI, r.UserAgent(), r.Header.Get("Connection")}
			}))
			defer srv.Close()
			addr := srv.Listener.Addr().String()
			r := HTTP(context.Background(), HTTPTarget{Addr: addr, Host: tc.host, URL: tc.url, Timeout: 2 * time.Second})
			if r.Code != OK {
				t.Fatalf("code %v (%v)", r.Code, r.Err)
			}
			s := <-got
			wantHost := tc.wantHost
			if wantHost == "" {
				wantHost = addr
			}
			if s.host != wantHost || s.target != tc.wantTarget {
				t.Errorf("request Host %q target %q, want %q %q", s.host, s.target, wantHost, tc.wantTarget)
			}
			if s.ua != userAgent || s.conn != "close" {
				t.Errorf("User-Agent %q Connection %q, want %q close", s.ua, s.conn, userAgent)
			}
		})
	}
}

func TestHTTPBadTarget(t *testing.T) {
	tests := []struct {
		name string
		t    HTTPTarget
	}{
		{"no port", HTTPTarget{Addr: "127.0.0.1"}},
		{"empty address", HTTPTarget{}},
		{"port out of range", HTTPTarget{Addr: "127.0.0.1:70000"}},
		{"relative path", HTTPTarget{Addr: "127.0.0.1:80", URL: "health"}},
		{"other scheme", HTTPTarget{Addr: "127.0.0.1:80", URL: "ftp://x/y"}},
		{"bad escape", HTTPTarget{Addr: "127.0.0.1:80", URL: "/%zz"}},
		{"host with space", HTTPTarget{Addr: "127.0.0.1:80", Host: "a b"}},
		{"host header injection", HTTPTarget{Addr: "127.0.0.1:80", Host: "a\r\nX-Evil: 1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := HTTP(context.Background(), tc.t)
			if r.Code != HTTPNoRequest || r.Err == nil {
				t.Errorf("code %v (%v), want %v", r.Code, r.Err, HTTPNoRequest)
			}
		})
	}
}

func TestHTTPHostile(t *testing.T) {
	cases := []struct {
		name   string
		tls    bool
		server func(t *testing.T) string
		want   Code
	}{
		{"refused", false, refusedAddr, HTTPNoConnect},
		{"refused https", true, refusedAddr, HTTPNoConnect},
		{"silent after accept", false, serve(silent("")), HTTPNoAnswer},
		{"one byte per second", false, serve(afterRequest(trickle("", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))), HTTPNoAnswer},
		{"a megabyte of garbage", false, serve(afterRequest(garbage(""))), HTTPNoAnswer},
		{"headers without line end", false, serve(afterRequest(silent("HTTP/1.1 200 OK"))), HTTPNoAnswer},
		{"reset after accept", false, serve(reset("")), HTTPNoAnswer},
		{"reset after the request", false, serve(afterRequest(reset(""))), HTTPNoAnswer},
		{"garbage before the request", false, serve(garbage("")), HTTPNoAnswer},
		{"not HTTP", false, serve(afterRequest(silent("220 (vsFTPd 3.0.3)\r\n"))), HTTPNoAnswer},
		{"TLS handshake never finishes", true, serve(silent("")), HTTPNoAnswer},
		{"TLS garbage", true, serve(garbage("")), HTTPNoAnswer},
		{"TLS reset", true, serve(reset("")), HTTPNoAnswer},
		{"body trickles after the status", false, serve(afterRequest(trickle("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", "x"))), OK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkLeaks(t)
			addr := tc.server(t)
			r := withinBound(t, func() Result { return HTTP(context.Background(), HTTPTarget{Addr: addr, TLS: tc.tls, Timeout: quick}) })
			if r.Code != tc.want || (r.Err == nil) != (tc.want == OK) {
				t.Errorf("code %v (%v), want %v", r.Code, r.Err, tc.want)
			}
		})
	}
}

func TestHTTPContextCancel(t *testing.T) {
	checkLeaks(t)
	addr := serve(silent(""))(t)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	r := withinBound(t, func() Result { return HTTP(ctx, HTTPTarget{Addr: addr, Timeout: time.Minute}) })
	if r.Code != HTTPNoAnswer || !errors.Is(r.Err, context.DeadlineExceeded) {
		t.Errorf("code %v (%v), want %v from the context", r.Code, r.Err, HTTPNoAnswer)
	}
}

func TestHTTPIgnoresProxyEnvironment(t *testing.T) {
	checkLeaks(t)
	t.Setenv("HTTP_PROXY", "http://"+refusedAddr(t))
	t.Setenv("NO_PROXY", "")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	// A name, so that the proxy rules' exception for loopback addresses does not apply.
	r := HTTP(context.Background(), HTTPTarget{Addr: srv.Listener.Addr().String(), Host: "site.test", Timeout: 2 * time.Second})
	if r.Code != OK {
		t.Errorf("code %v (%v), want OK", r.Code, r.Err)
	}
}

func TestHTTPTLS(t *testing.T) {
	checkLeaks(t)
	names := make(chan string, 10)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	srv.TLS = &tls.Config{GetConfigForClient: func(h *tls.ClientHelloInfo) (*tls.Config, error) {
		names <- h.ServerName
		return nil, nil
	}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are the test
	srv.StartTLS()
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	notAfter := srv.Certificate().NotAfter

	tests := []struct {
		name     string
		t        HTTPTarget
		want     Code
		wantSNI  string
		wantCode int
	}{
		{"self-signed accepted by default", HTTPTarget{Host: "example.com"}, OK, "example.com", 204},
		{"no SNI for an IP", HTTPTarget{}, OK, "", 204},
		{"verify fails on an unknown root", HTTPTarget{Host: "example.com", TLSVerify: true, RootCAs: x509.NewCertPool()}, HTTPNoAnswer, "example.com", 0},
		{"verify passes with the root", HTTPTarget{Host: "example.com", TLSVerify: true, RootCAs: roots}, OK, "example.com", 204},
		{"verify checks the name", HTTPTarget{Host: "other.test", TLSVerify: true, RootCAs: roots}, HTTPNoAnswer, "other.test", 0},
		{"verify checks an IP too", HTTPTarget{TLSVerify: true, RootCAs: roots}, OK, "", 204},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.t.Addr, tc.t.TLS, tc.t.Timeout = addr, true, 2*time.Second
			r := HTTP(context.Background(), tc.t)
			if r.Code != tc.want || r.Status != tc.wantCode {
				t.Errorf("code %v status %d (%v), want %v %d", r.Code, r.Status, r.Err, tc.want, tc.wantCode)
			}
			if !r.CertNotAfter.Equal(notAfter) {
				t.Errorf("CertNotAfter %v, want %v", r.CertNotAfter, notAfter)
			}
			if got := <-names; got != tc.wantSNI {
				t.Errorf("SNI %q, want %q", got, tc.wantSNI)
			}
		})
	}
}

// TestNetIsAProber checks the method set the actions package relies on.
func TestNetIsAProber(t *testing.T) {
	var p interface {
		HTTP(context.Context, HTTPTarget) Result
		FTPLogin(context.Context, FTPTarget) Result
		SMTP(context.Context, SMTPTarget) Result
	} = Net{}
	srv := newServer(t, scripted("220 x\r\n", ftpAnswers("u", "p", "230 ok\r\n"), &syncBuffer{}))
	if r := p.FTPLogin(context.Background(), FTPTarget{Addr: srv.addr(), User: "u", Password: "p", Timeout: 2 * time.Second}); r.Code != OK {
		t.Errorf("FTPLogin: %v (%v)", r.Code, r.Err)
	}
	if r := p.HTTP(context.Background(), HTTPTarget{Addr: refusedAddr(t), Timeout: quick}); r.Code != HTTPNoConnect {
		t.Errorf("HTTP: %v (%v)", r.Code, r.Err)
	}
	if r := p.SMTP(context.Background(), SMTPTarget{Addr: refusedAddr(t), Timeout: quick}); r.Code != HTTPNoConnect {
		t.Errorf("SMTP: %v (%v)", r.Code, r.Err)
	}
}
