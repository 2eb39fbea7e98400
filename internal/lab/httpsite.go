package lab

import (
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"time"
)

// HTTP server limits: every socket has a deadline.
const (
	httpReadHeaderTimeout = 10 * time.Second
	httpReadTimeout       = 30 * time.Second
	httpWriteTimeout      = 30 * time.Second
	httpIdleTimeout       = 60 * time.Second
)

// serveHTTP starts an HTTP (or, for https, TLS) server on ln that dispatches each request
// to the site bound for its Host header.
func serveHTTP(ep *endpoint, ln net.Listener, served chan struct{}) (func(), error) {
	srv := &http.Server{
		Handler:           http.HandlerFunc(ep.serveHTTP),
		ReadHeaderTimeout: httpReadHeaderTimeout,
		ReadTimeout:       httpReadTimeout,
		WriteTimeout:      httpWriteTimeout,
		IdleTimeout:       httpIdleTimeout,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	if ep.kind == "https" {
		cert, err := labCertificate()
		if err != nil {
			return nil, err
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	go func() {
		defer close(served)
		_ = srv.Serve(ln) // ends with ErrServerClosed or the closed listener's error
	}()
	return func() { srv.Close() }, nil
}

// serveHTTP answers one request as the chosen site's respond mode says. Without a site for
// the host, it answers as HTTP.sys does.
func (ep *endpoint) serveHTTP(w http.ResponseWriter, r *http.Request) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	ls := ep.siteFor(host)
	if ls == nil {
		invalidHostname(w)
		return
	}
	if ls.poolDown.Load() {
		serviceUnavailable(w)
		return
	}
	w.Header().Set("Server", "Microsoft-IIS/10.0")
	switch ls.mode() {
	case respondHang:
		ep.holdRequest(w, r, ls)
	case respondRefuse:
		// The socket stays open for other sites sharing it; this site's clients are cut off.
		dropConnection(w)
	case respondHTTP500:
		http.Error(w, "500 - Internal server error.", http.StatusInternalServerError)
	default:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "iiskit lab host %s: site %q (id %d)\n", ls.hostName, ls.name, ls.id)
	}
}

// holdRequest never answers: it waits until the site stops, the client leaves or maxHold
// passes, then drops the connection without a word.
func (ep *endpoint) holdRequest(w http.ResponseWriter, r *http.Request, ls *liveSite) {
	t := time.NewTimer(ep.n.maxHold)
	defer t.Stop()
	select {
	case <-ls.quit:
	case <-r.Context().Done():
	case <-t.C:
	}
	dropConnection(w)
}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not hijackable (only HTTP/2 is, and the lab never offers it): the nearest thing
		// to silence is an answer that ends the connection.
		w.Header().Set("Connection", "close")
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	conn.Close()
}

// serviceUnavailable answers as HTTP.sys does for a site whose application pool is not
// started: 503 with its own page (the same layout as its 400 below) and its own Server
// header, since no worker process, and so no IIS, takes part. The text is the one public
// captures of IIS show for a stopped pool ("Service Unavailable", "HTTP Error 503. The
// service is unavailable.").
func serviceUnavailable(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=us-ascii")
	h.Set("Server", "Microsoft-HTTPAPI/2.0")
	h.Set("Connection", "close")
	h.Set("Content-Length", strconv.Itoa(len(serviceUnavailableBody)))
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = io.WriteString(w, serviceUnavailableBody)
}

// serviceUnavailableBody is HTTP.sys's page for a request whose application pool is not
// started.
const serviceUnavailableBody = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\"\"http://www.w3.org/TR/html4/strict.dtd\">\r\n" +
	"<HTML><HEAD><TITLE>Service Unavailable</TITLE>\r\n" +
	"<META HTTP-EQUIV=\"Content-Type\" Content=\"text/html; charset=us-ascii\"></HEAD>\r\n" +
	"<BODY><h2>Service Unavailable</h2>\r\n" +
	"<hr><p>HTTP Error 503. The service is unavailable.</p>\r\n" +
	"</BODY></HTML>\r\n"

// invalidHostnameBody is HTTP.sys's page for a request no binding's host name matches.
// The text is the one ASP.NET Core's host filtering copies from HTTP.sys
// (HostFilteringMiddleware.cs, which writes "</ HEAD >"; HTTP.sys writes "</HEAD>") and
// that public captures of IIS show, with Server: Microsoft-HTTPAPI/2.0: HTTP.sys answers
// it before IIS sees the request.
const invalidHostnameBody = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\"\"http://www.w3.org/TR/html4/strict.dtd\">\r\n" +
	"<HTML><HEAD><TITLE>Bad Request</TITLE>\r\n" +
	"<META HTTP-EQUIV=\"Content-Type\" Content=\"text/html; charset=us-ascii\"></HEAD>\r\n" +
	"<BODY><h2>Bad Request - Invalid Hostname</h2>\r\n" +
	"<hr><p>HTTP Error 400. The request hostname is invalid.</p>\r\n" +
	"</BODY></HTML>\r\n"

// invalidHostname answers 400 as HTTP.sys does and ends the connection.
func invalidHostname(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=us-ascii")
	h.Set("Server", "Microsoft-HTTPAPI/2.0")
	h.Set("Connection", "close")
	h.Set("Content-Length", strconv.Itoa(len(invalidHostnameBody)))
	w.WriteHeader(http.StatusBadRequest)
	_, _ = io.WriteString(w, invalidHostnameBody)
}
