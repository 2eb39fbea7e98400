package lab

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// IIS's application pool defaults (applicationPools/add/failure in IIS's schema):
// rapid-fail protection on, 5 worker-process failures within 5 minutes stop the pool.
const (
	defaultRapidFailMaxCrashes = 5
	defaultRapidFailInterval   = 5 * time.Minute
	// defaultPoolName is the pool IIS installs and gives an application that names none.
	defaultPoolName = "DefaultAppPool"
	// maxCrashRequest bounds one `crash N` request.
	maxCrashRequest = 1000
)

var poolOnStartModes = []string{"ok", "ignore"}

// pool is one IIS application pool. WAS runs pools apart from the W3 service, so a pool
// keeps its state when W3SVC stops, as in IIS.
type pool struct {
	name       string
	state      platform.PoolState
	autoStart  bool
	onStart    string
	rapidFail  bool
	maxCrashes int
	interval   time.Duration
	// crashes are the times of the worker-process failures counted toward rapid-fail
	// protection; a start forgets them, as WAS does for a pool it starts afresh.
	crashes []time.Time
}

func newPool(name string, autoStart bool) *pool {
	st := platform.PoolStopped
	if autoStart {
		st = platform.PoolStarted
	}
	return &pool{name: name, state: st, autoStart: autoStart, onStart: "ok", rapidFail: true,
		maxCrashes: defaultRapidFailMaxCrashes, interval: defaultRapidFailInterval}
}

// poolNamed finds a pool; IIS pool names are unique regardless of case, an exact match wins.
func (h *host) poolNamed(name string) (*pool, error) {
	for _, p := range h.pools {
		if p.name == name {
			return p, nil
		}
	}
	for _, p := range h.pools {
		if strings.EqualFold(p.name, name) {
			return p, nil
		}
	}
	return nil, &refusal{kind: errNoPool, msg: fmt.Sprintf("application pool %q does not exist", name)}
}

// recent counts the failures within the interval before now, dropping older ones.
func (p *pool) recent(now time.Time) int {
	p.crashes = slices.DeleteFunc(p.crashes, func(t time.Time) bool { return now.Sub(t) >= p.interval })
	return len(p.crashes)
}

func (h *host) poolWire(p *pool) labapi.Pool {
	w := labapi.Pool{Name: p.name, State: p.state, AutoStart: p.autoStart, OnStart: p.onStart, RapidFail: p.rapidFail,
		MaxCrashes: p.maxCrashes, Interval: p.interval, Failures: p.recent(h.now()), Sites: []string{}}
	for _, s := range h.sortedSites() {
		for _, name := range s.pools {
			if strings.EqualFold(name, p.name) {
				w.Sites = append(w.Sites, s.name)
				break
			}
		}
	}
	return w
}

// poolStatus returns one pool.
func (h *host) poolStatus(name string) (labapi.Pool, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	p, err := h.poolNamed(name)
	if err != nil {
		return labapi.Pool{}, err
	}
	return h.poolWire(p), nil
}

// addPool creates a pool, Started unless added stopped (then it does not auto-start
// either), as `appcmd add apppool` with autoStart does.
func (h *host) addPool(req labapi.PoolRequest) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return "", conflictf("the lab host is shutting down")
	}
	if old, err := h.poolNamed(req.Name); err == nil {
		return "", invalidf("an application pool named %q already exists (IIS pool names are unique regardless of case)", old.name)
	}
	p := newPool(req.Name, !req.Stopped)
	h.pools = append(h.pools, p)
	h.syncPools()
	return fmt.Sprintf("application pool %q added, %s", p.name, p.state), nil
}

// deletePool removes a pool no site's application uses (IIS refuses to delete a pool in
// use too): iiskit doctor --exercise's cleanup of its throwaway pool.
func (h *host) deletePool(name string) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	p, err := h.poolNamed(name)
	if err != nil {
		return "", err
	}
	for _, s := range h.sites {
		for _, sp := range s.pools {
			if strings.EqualFold(sp, p.name) {
				return "", conflictf("application pool %q is used by site %q", p.name, s.name)
			}
		}
	}
	h.pools = slices.DeleteFunc(h.pools, func(o *pool) bool { return o == p })
	return fmt.Sprintf("application pool %q deleted", p.name), nil
}

// setPoolState forces a pool into one of IIS's five states: the administrator, not a
// request, so on-start does not apply.
func (h *host) setPoolState(name, state string) (string, error) {
	st, err := platform.ParsePoolState(state)
	if err != nil {
		return "", invalidf("unknown application pool state %q (want Started, Starting, Stopped, Stopping or Unknown)", state)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	p, err := h.livePool(name)
	if err != nil {
		return "", err
	}
	h.setPool(p, st)
	return fmt.Sprintf("application pool %q is now %s", p.name, st), nil
}

// startPool is a start request (appcmd start apppool); a pool set to on-start ignore
// accepts it and stays as it is.
func (h *host) startPool(name string) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	p, err := h.livePool(name)
	if err != nil {
		return "", err
	}
	if p.state == platform.PoolStarted {
		return fmt.Sprintf("application pool %q is already Started", p.name), nil
	}
	if p.onStart == "ignore" {
		return fmt.Sprintf("application pool %q: start request accepted and ignored (on-start ignore)", p.name), nil
	}
	h.setPool(p, platform.PoolStarted)
	return fmt.Sprintf("application pool %q started", p.name), nil
}

// setPoolOnStart sets how the pool answers start requests.
func (h *host) setPoolOnStart(name, mode string) (string, error) {
	m, err := checkMode("on-start", mode, poolOnStartModes)
	if err != nil {
		return "", err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	p, err := h.poolNamed(name)
	if err != nil {
		return "", err
	}
	p.onStart = m
	return fmt.Sprintf("application pool %q on-start %s", p.name, m), nil
}

// crashPool records n worker-process failures of a Started pool at the lab's present
// time. With rapid-fail protection on, the failure that makes maxCrashes within the
// interval stops the pool, as WAS does; failures after that have no worker to crash.
func (h *host) crashPool(name string, n int) (string, error) {
	if n < 1 || n > maxCrashRequest {
		return "", invalidf("crash count %d: want 1 to %d", n, maxCrashRequest)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	p, err := h.livePool(name)
	if err != nil {
		return "", err
	}
	if p.state != platform.PoolStarted {
		return "", conflictf("application pool %q is %s: it has no worker process to crash", p.name, p.state)
	}
	for i := 1; i <= n; i++ {
		now := h.now()
		p.crashes = append(p.crashes, now)
		if count := p.recent(now); p.rapidFail && count >= p.maxCrashes {
			h.setPool(p, platform.PoolStopped)
			msg := fmt.Sprintf("application pool %q: worker process failure %d of %d within %v: rapid-fail protection stopped the pool", p.name, count, p.maxCrashes, p.interval)
			if i < n {
				msg += fmt.Sprintf(" (%d further failure(s) not applied: no worker process)", n-i)
			}
			return msg, nil
		}
	}
	return fmt.Sprintf("application pool %q: %d worker process failure(s), %d within the last %v; still Started", p.name, n, p.recent(h.now()), p.interval), nil
}

// setPool puts a pool in state st; a pool that starts forgets its failures. h.mu is held.
func (h *host) setPool(p *pool, st platform.PoolState) {
	if st == platform.PoolStarted && p.state != platform.PoolStarted {
		p.crashes = nil
	}
	p.state = st
	h.syncPools()
}

// rootPoolDown reports whether a site's root application's pool is not Started (or does
// not exist): HTTP.sys then answers 503 for the site. A site without applications has no
// pool to wait for. h.mu is held.
func (h *host) rootPoolDown(s *site) bool {
	if len(s.pools) == 0 {
		return false
	}
	p, err := h.poolNamed(s.pools[0])
	return err != nil || p.state != platform.PoolStarted
}

// syncPools tells each started W3 site's listeners whether its root pool is down. h.mu is
// held.
func (h *host) syncPools() {
	for _, s := range h.sites {
		if ls := s.live[resource.W3]; ls != nil {
			ls.poolDown.Store(h.rootPoolDown(s))
		}
	}
}

// livePool returns the pool named name for a request on it, with h.mu held: a host that
// is shutting down refuses every such request.
func (h *host) livePool(name string) (*pool, error) {
	if h.closed {
		return nil, conflictf("the lab host is shutting down")
	}
	return h.poolNamed(name)
}
