package watch

import (
	"bytes"
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"

	"github.com/iiskit/iiskit/internal/hostguard"
)

// Handler serves the daemon's observability: /metrics (Prometheus text format),
// /healthz (200 while the daemon runs) and the status page at /.
func (d *Daemon) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, _ *http.Request) {
		var b bytes.Buffer
		if err := d.metrics.write(&b); err != nil {
			http.Error(w, "metrics: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		_, _ = w.Write(b.Bytes())
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		var b bytes.Buffer
		if err := d.writePage(&b); err != nil {
			d.log.Error("status page", "err", err)
			http.Error(w, "status page: "+err.Error(), http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		// Everything the page needs is inline; nothing may load from elsewhere.
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
		_, _ = w.Write(b.Bytes())
	})
	return mux
}

// ServerLimits bound what the status server may cost the daemon. Observability must never
// starve the checks: every connection is a descriptor of the same process, and a local
// user holding thousands of them once took the checks' descriptors ("too many open
// files", false recoveries). DefaultServerLimits are the production values.
type ServerLimits struct {
	// MaxConns is the most connections served at once. Further ones wait in the
	// kernel's accept queue, costing the daemon no descriptor, until one closes.
	MaxConns int
	// ReadHeader bounds the time to read a request's header (slowloris), Read the whole
	// request, Write the answer.
	ReadHeader, Read, Write time.Duration
	// Idle is the keep-alive: an idle connection is closed after it, so a slot held
	// by an idle client frees soon.
	Idle time.Duration
	// MaxHeaderBytes bounds a request's header.
	MaxHeaderBytes int
}

// DefaultServerLimits: 32 connections serve a browser, Prometheus and curl with room to
// spare (the page refreshes every 5 s, a scrape every 15 s); each connection costs at
// most a few seconds unless it is answered.
var DefaultServerLimits = ServerLimits{MaxConns: 32, ReadHeader: 3 * time.Second, Read: 5 * time.Second,
	Write: 30 * time.Second, Idle: 3 * time.Second, MaxHeaderBytes: 8 << 10}

// Server is the daemon's status server on ln, within limits: Handler behind the
// DNS-rebinding guard (a Host that is not a loopback IP, localhost or the listen address
// is refused, since a web page can resolve its own name to 127.0.0.1) unless remote, the
// administrator's --listen-remote, says the server is meant to be reached by other
// names. Serve it with Serve(ln).
func (d *Daemon) Server(remote bool, limits ServerLimits) *http.Server {
	h := d.Handler()
	if !remote {
		h = guard(h)
	}
	return &http.Server{Handler: h, ReadHeaderTimeout: limits.ReadHeader, ReadTimeout: limits.Read,
		WriteTimeout: limits.Write, IdleTimeout: limits.Idle, MaxHeaderBytes: limits.MaxHeaderBytes}
}

// Listener bounds ln to limits.MaxConns connections at once (golang.org/x/net's
// LimitListener: Accept waits for a free slot).
func Listener(ln net.Listener, limits ServerLimits) net.Listener {
	return netutil.LimitListener(ln, limits.MaxConns)
}

// guard refuses a request whose Host a DNS-rebinding page could have sent (hostguard).
func guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !hostguard.Trusted(r) {
			http.Error(w, "request for host "+hostguard.Quote(r.Host)+" refused: the watch daemon's status server answers only to a loopback address, localhost or its listen address (start it with --listen-remote to serve other names)", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}
