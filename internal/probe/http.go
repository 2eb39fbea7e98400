package probe

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/iiskit/iiskit/internal/resource"
)

// Bounds on what the HTTP probe reads: the status is all it needs.
const (
	maxHeaderBytes  = 64 << 10
	maxBodyDiscard  = 4 << 10
	probeBufferSize = 1 << 10
)

// userAgent names the probe in the site's logs.
const userAgent = "iiskit-probe/1"

// HTTP sends one GET to an HTTP site (SPEC D4.5, D4.6) and reports the pollsite code:
//   - HTTPNoRequest: the target cannot make a request (Addr not host:port, a bad URL or
//     Host);
//   - NoHandle: the client cannot be built (TLSVerify without loadable system roots);
//   - HTTPNoConnect: no TCP connection to Addr (refused, unreachable, connect timeout);
//   - HTTPNoAnswer: connected, but no HTTP answer within the timeout (silence, reset, not
//     HTTP, a TLS handshake that fails or, with TLSVerify, an untrusted certificate), or a
//     status outside ExpectStatus;
//   - OK: any status when ExpectStatus is empty, else one it accepts.
//
// It always dials t.Addr, whatever host an absolute URL names. Each stage (connect, TLS
// handshake, response header, the bounded body discard) has t.Timeout; no proxy from the
// environment, no redirect followed (a 3xx is an answer), no connection reused.
func HTTP(ctx context.Context, t HTTPTarget) Result {
	start := time.Now()
	r := httpProbe(ctx, t)
	r.Elapsed = time.Since(start)
	return r
}

func httpProbe(ctx context.Context, t HTTPTarget) Result {
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, sni, err := newHTTPRequest(rctx, t)
	if err != nil {
		return Result{Code: HTTPNoRequest, Err: err}
	}
	roots, err := verifyRoots(t.TLS && t.TLSVerify, t.RootCAs)
	if err != nil {
		return Result{Code: NoHandle, Err: fmt.Errorf("http: %w", err)}
	}
	timeout := stageTimeout(t.Timeout)
	// No TCP keep-alive: the connection lives one request within its deadlines, and
	// turning keep-alive on costs four setsockopt calls per probe.
	dials := &dialTracker{dialer: net.Dialer{Timeout: timeout, KeepAlive: -1}, ctx: rctx, addr: t.Addr}
	var seen peerCert
	tr := &http.Transport{
		Proxy:                  nil,
		DialContext:            dials.dial,
		TLSClientConfig:        tlsConfig(sni, t.TLSVerify, roots, &seen),
		TLSHandshakeTimeout:    timeout,
		ResponseHeaderTimeout:  timeout,
		DisableKeepAlives:      true,
		DisableCompression:     true,
		MaxResponseHeaderBytes: maxHeaderBytes,
		// Smaller buffers than net/http's 4 KB each: a probe's request and the answer's
		// status line and usual headers fit in them, a longer header or the discarded
		// body is read in more calls; that halves the memory a deepcheck allocates.
		ReadBufferSize:  probeBufferSize,
		WriteBufferSize: probeBufferSize,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}

	resp, err := client.Do(req)
	if err != nil {
		cancel()
		code := HTTPNoAnswer
		if !dials.settle() {
			code = HTTPNoConnect
		}
		return Result{Code: code, Err: fmt.Errorf("http %s: %w", t.Addr, err), CertNotAfter: seen.get()}
	}
	discardBody(resp, cancel, timeout)
	res := Result{Code: OK, Status: resp.StatusCode, CertNotAfter: seen.get()}
	if !t.ExpectStatus.Accepts(resp.StatusCode) {
		res.Code = HTTPNoAnswer
		res.Err = fmt.Errorf("http %s: status %d is not one of %s", t.Addr, resp.StatusCode, t.ExpectStatus)
	}
	return res
}

// dialTracker dials the probe's one connection and tells, once the request has failed,
// whether a connection was made: that decides "no connection" (4, 9757) against "no
// answer" (6, 9759). net/http dials on a context detached from the request's, so a
// deadline that ends the request can come while the dial still goes on, or just after
// it connected; the tracker dials on the request's own context instead, and settle waits
// for a dial in flight to finish, so the answer is what happened, not a race.
type dialTracker struct {
	dialer net.Dialer
	ctx    context.Context // the request's context: its end ends the dial
	addr   string

	mu        sync.Mutex
	settled   bool
	inFlight  sync.WaitGroup
	connected bool
}

func (d *dialTracker) dial(context.Context, string, string) (net.Conn, error) {
	d.mu.Lock()
	if d.settled {
		d.mu.Unlock()
		return nil, fmt.Errorf("dial %s: %w", d.addr, context.Cause(d.ctx))
	}
	d.inFlight.Add(1)
	d.mu.Unlock()
	defer d.inFlight.Done()
	conn, err := d.dialer.DialContext(d.ctx, "tcp", d.addr)
	if err == nil || resetByPeer(err) {
		d.mu.Lock()
		d.connected = true
		d.mu.Unlock()
	}
	return conn, err
}

// settle waits for any dial in flight (the caller has ended the request's context, so
// this is prompt), refuses later ones, and reports whether a connection was made.
func (d *dialTracker) settle() bool {
	d.mu.Lock()
	d.settled = true
	d.mu.Unlock()
	d.inFlight.Wait()
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.connected
}

// discardBody reads at most maxBodyDiscard bytes of the body within one stage timeout,
// then closes it. The request's context is cancelled when the time is up, which aborts
// a read from a server that trickles its body.
func discardBody(resp *http.Response, cancel context.CancelFunc, timeout time.Duration) {
	timer := time.AfterFunc(timeout, cancel)
	_, _ = io.CopyN(io.Discard, resp.Body, maxBodyDiscard)
	timer.Stop()
	_ = resp.Body.Close()
}

// newHTTPRequest builds the GET of one target and returns the TLS server name to use.
func newHTTPRequest(ctx context.Context, t HTTPTarget) (*http.Request, string, error) {
	if err := checkAddr(t.Addr); err != nil {
		return nil, "", fmt.Errorf("http: %w", err)
	}
	host := t.Addr
	if t.Host != "" {
		if !validHost(t.Host) {
			return nil, "", fmt.Errorf("http: host header %q is not a valid host", t.Host)
		}
		host = t.Host
	}
	u, err := requestURL(t)
	if err != nil {
		return nil, "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", fmt.Errorf("http: build request: %w", err)
	}
	req.Host = host
	req.Close = true
	req.Header.Set("User-Agent", userAgent)
	return req, serverName(host), nil
}

// requestURL keeps the path and query of t.URL (a path, or an absolute http(s) URL whose
// host is not dialled) and puts them on t.Addr with the scheme t.TLS asks for.
func requestURL(t HTTPTarget) (*url.URL, error) {
	p, err := resource.ParseRequestURL(t.URL)
	if err != nil {
		return nil, fmt.Errorf("http: %w", err)
	}
	u := &url.URL{Scheme: "http", Host: t.Addr, Path: p.Path, RawPath: p.RawPath, RawQuery: p.RawQuery}
	if t.TLS {
		u.Scheme = "https"
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return u, nil
}

// validHost reports whether h can be sent as a Host header and TLS server name: a name
// or address, optionally with a port, and nothing that would split or smuggle a header.
func validHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("-._:[]", c) >= 0:
		default:
			return false
		}
	}
	return true
}
