package action

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/clock/clocktest"
	"github.com/iiskit/iiskit/internal/event/eventtest"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
)

// fakeHost answers from scripts: each read takes the next scripted answer and the last
// one repeats, so a test states exactly what every SPEC step sees.
type fakeHost struct {
	mu        sync.Mutex
	states    []platform.ServiceState // successive ServiceState answers; 0 = error
	listings  [][]platform.Site       // successive ListSites answers; nil = error
	startErr  error
	nameErr   error
	stateErr  error // the error of a failed ServiceState (state 0); default a generic one
	calls     []string
	nState    int
	nListings int
	// pools holds each pool's successive PoolState answers; a pool absent from the map
	// does not exist, a -1 answer is a failed read.
	pools     map[string][]platform.PoolState
	nPools    map[string]int
	poolStart error
}

var _ platform.Host = (*fakeHost)(nil)

func (h *fakeHost) record(c string) {
	h.calls = append(h.calls, c)
}

func next[T any](script []T, n *int) T {
	i := min(*n, len(script)-1)
	*n++
	return script[i]
}

func (h *fakeHost) ServiceState(_ context.Context, name string) (platform.ServiceState, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.record("ServiceState " + name)
	st := next(h.states, &h.nState)
	if st == 0 {
		if h.stateErr != nil {
			return 0, h.stateErr
		}
		return 0, errors.New("scripted query failure")
	}
	return st, nil
}

func (h *fakeHost) StartService(_ context.Context, name string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.record("StartService " + name)
	return h.startErr
}

func (h *fakeHost) ContinueService(_ context.Context, name string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.record("ContinueService " + name)
	return h.startErr
}

func (h *fakeHost) ListSites(_ context.Context, t resource.Type) ([]platform.Site, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.record("ListSites " + t.String())
	l := next(h.listings, &h.nListings)
	if l == nil {
		return nil, errors.New("scripted listing failure")
	}
	return l, nil
}

func (h *fakeHost) StartSite(_ context.Context, _ resource.Type, s platform.Site) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.record("StartSite " + s.Name)
	return nil
}

func (h *fakeHost) StopSite(_ context.Context, _ resource.Type, s platform.Site) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.record("StopSite " + s.Name)
	return nil
}

func (h *fakeHost) PoolState(_ context.Context, name string) (platform.PoolState, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.record("PoolState " + name)
	script, ok := h.pools[name]
	if !ok {
		return platform.PoolUnknown, fmt.Errorf("application pool %q: %w", name, platform.ErrNoPool)
	}
	if h.nPools == nil {
		h.nPools = map[string]int{}
	}
	n := h.nPools[name]
	st := next(script, &n)
	h.nPools[name] = n
	if st < 0 {
		return platform.PoolUnknown, errors.New("scripted pool read failure")
	}
	return st, nil
}

func (h *fakeHost) StartPool(_ context.Context, name string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.record("StartPool " + name)
	if _, ok := h.pools[name]; !ok {
		return fmt.Errorf("application pool %q: %w", name, platform.ErrNoPool)
	}
	return h.poolStart
}

func (h *fakeHost) ServiceName(_ context.Context, t resource.Type) (string, error) {
	if h.nameErr != nil {
		return "", h.nameErr
	}
	return t.ServiceName(), nil
}

func (h *fakeHost) Hostname() string { return "NODE1" }

func (h *fakeHost) count(prefix string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, c := range h.calls {
		if len(c) >= len(prefix) && c[:len(prefix)] == prefix {
			n++
		}
	}
	return n
}

// fakeProber returns scripted results and records the targets it was given.
type fakeProber struct {
	mu      sync.Mutex
	http    []probe.Result
	ftp     []probe.Result
	smtp    []probe.Result
	nHTTP   int
	nFTP    int
	nSMTP   int
	targets []string
}

func (p *fakeProber) HTTP(_ context.Context, t probe.HTTPTarget) probe.Result {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.targets = append(p.targets, fmt.Sprintf("http %s host=%s tls=%v verify=%v", t.Addr, t.Host, t.TLS, t.TLSVerify))
	if len(p.http) == 0 {
		return probe.Result{Code: probe.OK}
	}
	return next(p.http, &p.nHTTP)
}

func (p *fakeProber) FTPLogin(_ context.Context, t probe.FTPTarget) probe.Result {
	p.mu.Lock()
	defer p.mu.Unlock()
	vhost := ""
	if t.VirtualHost != "" {
		vhost = " vhost=" + t.VirtualHost
	}
	p.targets = append(p.targets, fmt.Sprintf("ftp %s user=%s%s tls=%v", t.Addr, t.User, vhost, t.TLS))
	if len(p.ftp) == 0 {
		return probe.Result{Code: probe.OK}
	}
	return next(p.ftp, &p.nFTP)
}

func (p *fakeProber) SMTP(_ context.Context, t probe.SMTPTarget) probe.Result {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.targets = append(p.targets, fmt.Sprintf("smtp %s starttls=%v", t.Addr, t.StartTLS))
	if len(p.smtp) == 0 {
		return probe.Result{Code: probe.OK}
	}
	return next(p.smtp, &p.nSMTP)
}

// Sites used by the tables.
var (
	epoch = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

	bHTTP  = mustBinding("http/127.0.0.2:80:")
	bHTTP2 = mustBinding("http/127.0.0.3:8080:www.example.com")
	bStar  = mustBinding("http/*:80:")
	bFTP   = mustBinding("ftp/127.0.0.2:21:")
)

func mustBinding(s string) resource.Binding {
	b, err := resource.ParseBinding(s)
	if err != nil {
		panic(err)
	}
	return b
}

func site(name string, id int64, st platform.SiteState, bs ...resource.Binding) platform.Site {
	return platform.Site{Name: name, ID: id, State: st, Bindings: bs}
}

func listing(sites ...platform.Site) []platform.Site {
	if sites == nil {
		return []platform.Site{}
	}
	return sites
}

// harness runs one action against a fake host and returns what a test compares.
type harness struct {
	host   *fakeHost
	prober *fakeProber
	rec    *eventtest.Recorder
	clock  *clocktest.Fake
	opts   Options
}

func newHarness(h *fakeHost) *harness {
	return &harness{host: h, prober: &fakeProber{}, rec: &eventtest.Recorder{}, clock: clocktest.New(epoch)}
}

func (hs *harness) env() Env {
	return Env{Host: hs.host, Probe: hs.prober, Events: hs.rec, Clock: hs.clock, Options: hs.opts}
}

type actionFunc func(context.Context, Env, resource.Resource) Outcome

// run runs f and returns its exit status; outcome returns the whole outcome.
func (hs *harness) run(t *testing.T, f actionFunc, res resource.Resource) Status {
	t.Helper()
	return hs.outcome(t, f, res).Status
}

func (hs *harness) outcome(t *testing.T, f actionFunc, res resource.Resource) Outcome {
	t.Helper()
	done := make(chan Outcome, 1)
	go func() { done <- f(context.Background(), hs.env(), res) }()
	select {
	case s := <-done:
		return s
	case <-time.After(10 * time.Second):
		t.Fatal("action did not return within 10 s of wall time (a fake-clock action must take none)")
		return Outcome{Status: -1}
	}
}

func w3(siteName string) resource.Resource {
	return resource.Resource{Tag: "iis-www1", Site: siteName, Type: resource.W3}
}
