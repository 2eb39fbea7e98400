package watch

import (
	"context"
	"maps"
	"sync"
	"time"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/probe"
)

// certRecord keeps, per probed address, the expiry of the certificate an https binding
// presented at the last deepcheck.
type certRecord struct {
	mu       sync.Mutex
	notAfter map[string]time.Time
}

func (c *certRecord) set(addr string, t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.notAfter == nil {
		c.notAfter = map[string]time.Time{}
	}
	c.notAfter[addr] = t
}

func (c *certRecord) snapshot() map[string]time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.notAfter)
}

// certProber passes every probe through and notes the certificate expiry an HTTPS probe
// saw: the action decides on the result, the daemon only reads what was observed.
type certProber struct {
	action.Prober
	rec *certRecord
}

// HTTP runs the probe and records res.CertNotAfter when there is one.
func (p certProber) HTTP(ctx context.Context, t probe.HTTPTarget) probe.Result {
	res := p.Prober.HTTP(ctx, t)
	if !res.CertNotAfter.IsZero() {
		p.rec.set(t.Addr, res.CertNotAfter)
	}
	return res
}
