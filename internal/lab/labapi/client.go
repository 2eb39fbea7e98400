package labapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultURL is the control address used when neither --lab nor $IISKIT_LAB is set.
const DefaultURL = "http://127.0.0.1:7780"

// DefaultTimeout bounds each request, so that a hung lab host never hangs a caller.
const DefaultTimeout = 5 * time.Second

// maxErrorBody bounds what the client reads of an error answer.
const maxErrorBody = 64 << 10

// maxAnswer bounds a successful answer, which is decoded as it streams in: far above the
// status of any lab a machine can run (10,000 sites make about 5 MB), yet a server that
// sends without end cannot fill the caller's memory before the request's timeout. A
// variable so that a test can reach it.
var maxAnswer int64 = 1 << 30

// errAnswerTooLarge is the read error past maxAnswer.
var errAnswerTooLarge = errors.New("answer larger than the lab client reads")

// ErrUnreachable marks a request that got no answer from the lab host (nothing listening,
// a timeout, a broken connection); test with errors.Is.
var ErrUnreachable = errors.New("lab host is not running or not reachable")

// APIError is a request the lab host answered with an error status.
type APIError struct {
	Status  int    // HTTP status: 400, 404, 409, 500
	Code    string // one of the Code... constants
	Message string
}

// Error returns the host's message.
func (e *APIError) Error() string { return e.Message }

// BadRequest reports whether the host refused the request as malformed or naming
// something that does not exist: the lab verbs' exit status 2.
func (e *APIError) BadRequest() bool {
	return e.Status == http.StatusBadRequest || e.Status == http.StatusNotFound
}

// Client talks to one lab host.
type Client struct {
	base    *url.URL
	http    *http.Client
	timeout time.Duration
}

// ErrBadURL marks a lab host address NewClient refuses: a usage error (exit status 2) of
// whoever passed it; test with errors.Is.
var ErrBadURL = errors.New("not a lab host address")

// NewClient returns a client of the lab host at baseURL: http://HOST:PORT, or a bare
// HOST:PORT taken as http, where HOST is an IP address or localhost. It does not contact
// the host. A host name is refused, never looked up: the lab listens on loopback (or, in
// a test's network namespace, on the namespace's addresses), so a name could only take
// the request to the system's resolver and off this machine.
func NewClient(baseURL string) (*Client, error) {
	raw := strings.TrimSpace(baseURL)
	if raw == "" {
		raw = DefaultURL
	}
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.User != nil || !labHost(u) {
		return nil, fmt.Errorf("%q is %w: want http://IP:PORT, IP:PORT or http://localhost:PORT (an IP address or localhost, never a name to look up)",
			clipURL(baseURL), ErrBadURL)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	tr := &http.Transport{
		// The lab is on loopback: a proxy from the environment must never see its traffic.
		Proxy:                 nil,
		DialContext:           (&net.Dialer{Timeout: DefaultTimeout}).DialContext,
		TLSHandshakeTimeout:   DefaultTimeout,
		ResponseHeaderTimeout: DefaultTimeout,
		MaxIdleConns:          4,
		IdleConnTimeout:       30 * time.Second,
	}
	hc := &http.Client{
		Transport: tr,
		Timeout:   DefaultTimeout,
		// A redirect could send a request off loopback; the API never redirects, so one is
		// answered as the error status it is.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &Client{base: u, http: hc, timeout: DefaultTimeout}, nil
}

// labHost reports whether u names an IP literal (no IPv6 zone) or localhost, with a port.
func labHost(u *url.URL) bool {
	host, port := u.Hostname(), u.Port()
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Zone() == ""
}

// clipURL shortens a refused address for its error message: it is the caller's text.
func clipURL(s string) string {
	const max = 100
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}

// WithTimeout returns a copy of c whose requests each end after d.
func (c *Client) WithTimeout(d time.Duration) *Client {
	cc := *c
	cc.timeout = d
	return &cc
}

// URL returns the lab host's base URL.
func (c *Client) URL() string { return c.base.String() }

// Close releases idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// Host fetches the emulated host's name.
func (c *Client) Host(ctx context.Context) (Host, error) {
	var h Host
	err := c.Do(ctx, http.MethodGet, PathHost, nil, nil, &h)
	return h, err
}

// Status fetches the whole emulated host.
func (c *Client) Status(ctx context.Context) (Status, error) {
	var w struct {
		Hostname string     `json:"hostname"`
		Services []Service  `json:"services"`
		Sites    []siteJSON `json:"sites"`
		Pools    []Pool     `json:"pools"`
	}
	if err := c.Do(ctx, http.MethodGet, PathStatus, nil, nil, &w); err != nil {
		return Status{}, err
	}
	sites, err := sitesFromWire(w.Sites)
	if err != nil {
		return Status{}, fmt.Errorf("lab host at %s: malformed answer to %s: %w", c.base, PathStatus, err)
	}
	return Status{Hostname: w.Hostname, Services: w.Services, Sites: sites, Pools: w.Pools}, nil
}

// Pool fetches one application pool: a small answer, for callers that read a pool's
// state often.
func (c *Client) Pool(ctx context.Context, name string) (Pool, error) {
	var p Pool
	err := c.Do(ctx, http.MethodGet, PathPool, url.Values{"name": {name}}, nil, &p)
	return p, err
}

// PoolChange sends a PoolRequest to one of the /v1/pool/... change paths.
func (c *Client) PoolChange(ctx context.Context, path string, req PoolRequest) (Result, error) {
	var r Result
	err := c.Do(ctx, http.MethodPost, path, nil, req, &r)
	return r, err
}

// ServiceStatus fetches one service (W3SVC, FTPSVC, SMTPSVC): a small answer, for callers
// that read a service's state often.
func (c *Client) ServiceStatus(ctx context.Context, name string) (Service, error) {
	var s Service
	err := c.Do(ctx, http.MethodGet, PathService, url.Values{"name": {name}}, nil, &s)
	return s, err
}

// Sites fetches the sites serving service type t (W3, FTP, SMTP).
func (c *Client) Sites(ctx context.Context, t string) ([]Site, error) {
	var w []siteJSON
	if err := c.Do(ctx, http.MethodGet, PathSites, url.Values{"type": {t}}, nil, &w); err != nil {
		return nil, err
	}
	sites, err := sitesFromWire(w)
	if err != nil {
		return nil, fmt.Errorf("lab host at %s: malformed answer to %s: %w", c.base, PathSites, err)
	}
	return sites, nil
}

// Service sends a ServiceRequest to one of the /v1/service/... change paths.
func (c *Client) Service(ctx context.Context, path string, req ServiceRequest) (Result, error) {
	var r Result
	err := c.Do(ctx, http.MethodPost, path, nil, req, &r)
	return r, err
}

// Site sends a SiteRequest to one of the /v1/site/... change paths.
func (c *Client) Site(ctx context.Context, path string, req SiteRequest) (Result, error) {
	var r Result
	err := c.Do(ctx, http.MethodPost, path, nil, req, &r)
	return r, err
}

// Do sends one request under ctx and the client's own timeout and decodes the answer into
// out. A transport failure wraps ErrUnreachable and names the URL; an error status is an
// *APIError. A request cut short because the caller's ctx ended (its deadline passed, or
// it was cancelled) wraps ctx.Err() instead: the lab host may be fine, and an error that
// blamed it would send the reader to the wrong machine.
func (c *Client) Do(ctx context.Context, method, path string, query url.Values, in, out any) error {
	caller := ctx
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	u := *c.base
	u.Path += path
	u.RawQuery = query.Encode()
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("encoding request to %s: %w", path, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return fmt.Errorf("building request to %s: %w", path, err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if caller.Err() != nil {
			return c.gaveUp(caller, path)
		}
		return fmt.Errorf("lab host at %s: %w (%v)", c.base, ErrUnreachable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody)) // what arrived is enough for a message
		var e ErrorBody
		if json.Unmarshal(data, &e) != nil || e.Error == "" {
			e = ErrorBody{Error: fmt.Sprintf("lab host at %s answered %s", c.base, resp.Status), Code: CodeInternal}
		}
		return &APIError{Status: resp.StatusCode, Code: e.Code, Message: e.Error}
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(&capReader{r: resp.Body, left: maxAnswer}).Decode(out); err != nil {
		if errors.Is(err, errAnswerTooLarge) {
			return fmt.Errorf("lab host at %s: reading the answer to %s: %w", c.base, path, err)
		}
		if caller.Err() != nil {
			return c.gaveUp(caller, path)
		}
		if ctx.Err() != nil || errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("lab host at %s: %w (reading the answer to %s: %v)", c.base, ErrUnreachable, path, err)
		}
		return fmt.Errorf("lab host at %s: malformed answer to %s: %w", c.base, path, err)
	}
	return nil
}

// gaveUp is the error of a request to path abandoned because the caller's context ended;
// it wraps the context's error (context.DeadlineExceeded or context.Canceled).
func (c *Client) gaveUp(caller context.Context, path string) error {
	why := "the caller was cancelled"
	if errors.Is(caller.Err(), context.DeadlineExceeded) {
		why = "the caller's deadline passed"
	}
	return fmt.Errorf("lab host at %s: gave up on %s before it answered: %s (%w)", c.base, path, why, caller.Err())
}

// capReader reads at most left bytes from r, then fails with errAnswerTooLarge (where
// io.LimitReader would end quietly, leaving a truncated answer to be misreported).
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errAnswerTooLarge
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
