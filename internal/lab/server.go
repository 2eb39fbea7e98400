package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/iiskit/iiskit/internal/clock"
)

// DefaultListen is the control API's address when none is given (CLI.md).
const DefaultListen = "127.0.0.1:7780"

// ErrBadOptions marks a Start failure due to the options themselves (an address off
// loopback, a malformed applicationHost.config): the command line's exit status 2.
var ErrBadOptions = errors.New("bad lab host options")

// badOptions reads as its cause and matches ErrBadOptions.
type badOptions struct{ err error }

func (b badOptions) Error() string        { return b.err.Error() }
func (b badOptions) Unwrap() error        { return b.err }
func (b badOptions) Is(target error) bool { return target == ErrBadOptions }

// Options configure a lab host.
type Options struct {
	// Listen is the control API's address; it must be on loopback. Default DefaultListen;
	// port 0 picks a free port (see Server.URL).
	Listen string
	// ConfigFile is an applicationHost.config to take the sites from; empty gives the
	// default host of CLI.md.
	ConfigFile string
	// Hostname is the emulated host's name (the events' $SYS); default os.Hostname().
	Hostname string
	// PendingDelay is every service's initial pending delay (`lab service NAME pending`):
	// how long start, stop and continue requests stay pending. Default 0: they settle at
	// once.
	PendingDelay time.Duration
	// Clock is the time rapid-fail protection counts worker-process failures by; nil is
	// the wall clock. Tests drive it to cross the 5-minute window without waiting.
	Clock clock.Clock
}

// Server is a running lab host: the emulated services and sites and the control API.
type Server struct {
	host     *host
	ln       net.Listener
	srv      *http.Server
	url      string
	warnings []string
	served   chan struct{}
	stopCtx  func() bool
	once     sync.Once
	closeErr error
}

// Start builds the host (from opts.ConfigFile or the default table), starts its services
// and auto-start sites, and serves the control API. A site whose bindings cannot be
// opened stays Stopped and is reported by Warnings. Cancelling ctx closes the server.
func Start(ctx context.Context, opts Options) (*Server, error) {
	listen := opts.Listen
	if listen == "" {
		listen = DefaultListen
	}
	if err := checkListen(listen); err != nil {
		return nil, badOptions{err}
	}
	name := opts.Hostname
	if name == "" {
		n, err := os.Hostname()
		if err != nil {
			return nil, fmt.Errorf("finding the host name (give one with --hostname): %w", err)
		}
		name = n
	}
	if opts.PendingDelay < 0 || opts.PendingDelay > maxPending {
		return nil, badOptions{fmt.Errorf("pending delay %v: want 0s to %v", opts.PendingDelay, maxPending)}
	}
	sites, pools := defaultSites(), defaultPools()
	if opts.ConfigFile != "" {
		var err error
		if sites, pools, err = readAppHostConfig(opts.ConfigFile); err != nil {
			return nil, badOptions{err}
		}
	}
	h := newHost(name, opts.PendingDelay, newNetwork())
	h.sites, h.pools = sites, pools
	if opts.Clock != nil {
		h.now = opts.Clock.Now
	}

	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("lab host control API: listening on %s: %w", listen, err)
	}
	s := &Server{host: h, ln: ln, url: "http://" + ln.Addr().String(), served: make(chan struct{})}
	h.mu.Lock()
	for _, st := range h.sortedSites() {
		// A real server's configuration often binds addresses the lab cannot hold: that
		// site stays Stopped, named in a warning, and the others serve.
		if err := st.holdable(); err != nil {
			s.warnings = append(s.warnings, fmt.Sprintf("site %q stays Stopped: %v", st.name, err))
			continue
		}
		if st.autoStart {
			if err := h.openAuto(st); err != nil {
				s.warnings = append(s.warnings, fmt.Sprintf("site %q stays Stopped: %v", st.name, err))
			}
		}
	}
	h.mu.Unlock()
	s.srv = &http.Server{
		Handler:           newAPI(h),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	go func() {
		defer close(s.served)
		_ = s.srv.Serve(ln)
	}()
	s.stopCtx = context.AfterFunc(ctx, func() { _ = s.Close() })
	return s, nil
}

// holdable reports why the lab could never start the site (a binding off loopback outside
// a namespace, see allowAddress), or nil.
func (s *site) holdable() error {
	for _, b := range s.bindings {
		if err := checkLoopback(b); err != nil {
			return err
		}
	}
	return nil
}

// checkListen refuses a control address off loopback: the lab never listens elsewhere.
func checkListen(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("control address %q: want IP:PORT, e.g. %s: %w", addr, DefaultListen, err)
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.Unmap().IsLoopback() {
		return fmt.Errorf("control address %q: the lab host listens only on loopback (127.0.0.0/8 or ::1)", addr)
	}
	return nil
}

// URL returns the control API's base URL, http://IP:PORT, with the real port.
func (s *Server) URL() string { return s.url }

// Warnings lists the sites that stay Stopped: those that should have started but could
// not (a taken port), and those bound to an address the lab cannot listen on.
func (s *Server) Warnings() []string { return s.warnings }

// Close stops the control API, every site's listeners and every pending transition.
// It is safe to call more than once.
func (s *Server) Close() error {
	s.once.Do(func() {
		s.stopCtx()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.srv.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			s.closeErr = fmt.Errorf("closing the lab host's control API: %w", err)
		}
		s.srv.Close()
		<-s.served
		s.host.close()
	})
	return s.closeErr
}
