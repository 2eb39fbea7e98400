package platform

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// PoolState is an IIS application pool's state. The values are Microsoft.Web.Administration's
// ObjectState, which the applicationPools/add element's state attribute reports, the same
// numbers as a site's: 0 Starting, 1 Started, 2 Stopping, 3 Stopped, 4 Unknown.
type PoolState int

// The five pool states.
const (
	PoolStarting PoolState = 0
	PoolStarted  PoolState = 1
	PoolStopping PoolState = 2
	PoolStopped  PoolState = 3
	PoolUnknown  PoolState = 4
)

// String returns the state as IIS prints it (Started, Stopped, ...): the catalogue's
// $POOLSTATE.
func (s PoolState) String() string {
	if s >= PoolStarting && s <= PoolUnknown {
		return siteStateNames[s]
	}
	return fmt.Sprintf("Unknown(%d)", int(s))
}

// ParsePoolState reads a state as IIS prints it, case-insensitively; anything else is
// Unknown with an error.
func ParsePoolState(s string) (PoolState, error) {
	for i, n := range siteStateNames {
		if strings.EqualFold(strings.TrimSpace(s), n) {
			return PoolState(i), nil
		}
	}
	return PoolUnknown, fmt.Errorf("unknown application pool state %q", s)
}

// Pools is the part of IIS's application pools that iiskit uses (SPEC P). Each method is
// one observation or one request: neither waits for a state.
type Pools interface {
	// PoolState reads one application pool's state. A pool that does not exist gives an
	// error wrapping ErrNoPool; any other error means IIS could not be asked.
	PoolState(ctx context.Context, name string) (PoolState, error)
	// StartPool asks IIS to start the pool; it does not wait. A start request on a pool
	// that is already started is not an error. A missing pool wraps ErrNoPool.
	StartPool(ctx context.Context, name string) error
}

// ErrNoPool reports an application pool that does not exist.
var ErrNoPool = errors.New("application pool not found")

// ErrNotImplemented reports a request the platform cannot make yet.
var ErrNotImplemented = errors.New("not implemented on this platform yet")
