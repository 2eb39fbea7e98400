// Package labhost is the platform of the lab host: a platform.Host that observes and acts on
// an emulated Windows host with IIS through the lab host's control API (package
// internal/lab). Each method is one request (the first call of a client made by Open also
// asks for the host name, once), under the caller's context and the client's own timeout,
// so a hung lab host never hangs an action.
package labhost

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// Client is a platform.Host backed by a lab host.
type Client struct {
	api *labapi.Client

	mu       sync.Mutex
	named    bool   // the host name was asked for (successfully or not)
	hostname string // the catalogue's $SYS
}

var _ platform.Host = (*Client)(nil)

// New connects to the lab host at baseURL (http://127.0.0.1:7780 when empty) and fetches
// its host name once. An unreachable host is an error naming the URL: for the callers
// that must tell it apart before anything else (the OCF agent, the watch daemon).
func New(ctx context.Context, baseURL string) (*Client, error) {
	c, err := Open(baseURL)
	if err != nil {
		return nil, err
	}
	h, err := c.api.Host(ctx)
	if err != nil {
		return nil, fmt.Errorf("connecting to the lab platform: %w", err)
	}
	c.named, c.hostname = true, h.Hostname
	return c, nil
}

// Open returns a client of the lab host at baseURL without contacting it: an action run
// on it meets an unreachable host in its first step, which then fails with that step's
// event, instead of before any event is written. Only a malformed URL is an error.
//
// The host name is fetched by the first call that has a context, once. When that fails,
// $SYS is the host part of the lab's URL (without the port) for the client's whole life:
// it names the machine that was asked, it is not invented, and one action's events all
// carry the same $SYS even if the host comes back halfway through.
func Open(baseURL string) (*Client, error) {
	api, err := labapi.NewClient(baseURL)
	if err != nil {
		return nil, err
	}
	return &Client{api: api}, nil
}

// Hostname returns the emulated host's name, the catalogue's $SYS; before any call has
// asked the lab host, or when it could not be asked, the host part of its URL.
func (c *Client) Hostname() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.named {
		return c.urlHost()
	}
	return c.hostname
}

// learnName fetches the host name the first time it is called; a failure is not an error
// here: the call that follows meets the same fault and reports it.
func (c *Client) learnName(ctx context.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.named {
		return
	}
	c.named = true
	if h, err := c.api.Host(ctx); err == nil && h.Hostname != "" {
		c.hostname = h.Hostname
		return
	}
	c.hostname = c.urlHost()
}

// urlHost is the host part of the lab host's URL, the fallback $SYS.
func (c *Client) urlHost() string {
	if u, err := url.Parse(c.api.URL()); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return c.api.URL()
}

// ServiceName returns the service carrying t on the lab host: W3SVC, FTPSVC or SMTPSVC.
func (c *Client) ServiceName(ctx context.Context, t resource.Type) (string, error) {
	c.learnName(ctx)
	if !t.Valid() {
		return "", fmt.Errorf("service type %v: %w", t, platform.ErrNoService)
	}
	return t.ServiceName(), nil
}

// ServiceState queries a service's state once, in one small request whatever the size
// of the lab.
func (c *Client) ServiceState(ctx context.Context, name string) (platform.ServiceState, error) {
	c.learnName(ctx)
	svc, err := c.api.ServiceStatus(ctx, name)
	if err != nil {
		return 0, fmt.Errorf("querying service %s on lab host %s: %w", name, c.Hostname(), mapError(err))
	}
	return svc.State, nil
}

// StartService asks for a start and does not wait; a service already starting or running
// is not an error.
func (c *Client) StartService(ctx context.Context, name string) error {
	c.learnName(ctx)
	_, err := c.api.Service(ctx, labapi.PathServiceStart, labapi.ServiceRequest{Name: name})
	if err != nil {
		return fmt.Errorf("starting service %s: %w", name, refusedStart(mapError(err)))
	}
	return nil
}

// ContinueService asks a Paused service to resume and does not wait.
func (c *Client) ContinueService(ctx context.Context, name string) error {
	c.learnName(ctx)
	_, err := c.api.Service(ctx, labapi.PathServiceContinue, labapi.ServiceRequest{Name: name})
	if err != nil {
		return fmt.Errorf("continuing service %s: %w", name, refusedStart(mapError(err)))
	}
	return nil
}

// ListSites returns every site serving type t, each with its state for t, in one request.
// Every call asks the lab afresh: whatever an action reuses, it reuses itself.
func (c *Client) ListSites(ctx context.Context, t resource.Type) ([]platform.Site, error) {
	c.learnName(ctx)
	wire, err := c.api.Sites(ctx, t.String())
	if err != nil {
		return nil, fmt.Errorf("listing %s sites: %w", t, mapError(err))
	}
	sites := make([]platform.Site, 0, len(wire))
	for _, w := range wire {
		s := platform.Site{Name: w.Name, ID: w.ID, State: w.State, Pools: w.Pools}
		if t != resource.W3 {
			s.Pools = nil // only W3 sites have application pools (SPEC P)
		} else if s.Pools == nil {
			s.Pools = []string{}
		}
		for _, text := range w.Bindings {
			b, err := resource.ParseBinding(text)
			if err != nil {
				return nil, fmt.Errorf("listing %s sites: site %q: %w", t, w.Name, err)
			}
			s.Bindings = append(s.Bindings, b)
		}
		sites = append(sites, s)
	}
	return sites, nil
}

// StartSite asks the lab host to start the site for type t; it does not wait.
func (c *Client) StartSite(ctx context.Context, t resource.Type, s platform.Site) error {
	c.learnName(ctx)
	_, err := c.api.Site(ctx, labapi.PathSiteStart, labapi.SiteRequest{Name: s.Name, Type: t.String()})
	if err != nil {
		return fmt.Errorf("starting %s site %q: %w", t, s.Name, mapError(err))
	}
	return nil
}

// StopSite asks the lab host to stop the site for type t; it does not wait.
func (c *Client) StopSite(ctx context.Context, t resource.Type, s platform.Site) error {
	c.learnName(ctx)
	_, err := c.api.Site(ctx, labapi.PathSiteStop, labapi.SiteRequest{Name: s.Name, Type: t.String()})
	if err != nil {
		return fmt.Errorf("stopping %s site %q: %w", t, s.Name, mapError(err))
	}
	return nil
}

// PoolState reads one application pool's state, in one small request.
func (c *Client) PoolState(ctx context.Context, name string) (platform.PoolState, error) {
	c.learnName(ctx)
	p, err := c.api.Pool(ctx, name)
	if err != nil {
		return platform.PoolUnknown, fmt.Errorf("reading application pool %q on lab host %s: %w", name, c.Hostname(), mapError(err))
	}
	return p.State, nil
}

// StartPool asks the lab host to start an application pool; it does not wait.
func (c *Client) StartPool(ctx context.Context, name string) error {
	c.learnName(ctx)
	if _, err := c.api.PoolChange(ctx, labapi.PathPoolStart, labapi.PoolRequest{Name: name}); err != nil {
		return fmt.Errorf("starting application pool %q: %w", name, mapError(err))
	}
	return nil
}

// refusedStart marks a start or continue request on a service the lab host does not have
// as platform.ErrStartRefused, as the service manager's ERROR_SERVICE_DOES_NOT_EXIST is.
// A 409 is not: the lab refuses a start while the service is StopPending, a state that
// passes, and the actions' wait then sees it settle.
func refusedStart(err error) error {
	if errors.Is(err, platform.ErrNoService) {
		return fmt.Errorf("%w: %w", platform.ErrStartRefused, err)
	}
	return err
}

// mapError makes the host's "unknown site", "unknown service" and "unknown pool" answers
// wrap the platform's sentinels.
func mapError(err error) error {
	var api *labapi.APIError
	if errors.As(err, &api) && api.Status == http.StatusNotFound {
		switch api.Code {
		case labapi.CodeNoSite:
			return fmt.Errorf("%s (%w)", api.Message, platform.ErrNoSite)
		case labapi.CodeNoService:
			return fmt.Errorf("%s (%w)", api.Message, platform.ErrNoService)
		case labapi.CodeNoPool:
			return fmt.Errorf("%s (%w)", api.Message, platform.ErrNoPool)
		}
	}
	return err
}
