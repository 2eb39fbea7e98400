package winhost

import (
	"context"
	"fmt"

	"github.com/iiskit/iiskit/internal/platform"
)

// NOT YET IMPLEMENTED: application pools through the IIS configuration API
// (applicationPools/add: state, Start, Stop; each application's applicationPool and
// applicationDefaults) are another change's work. Until then the W3 listing leaves
// Site.Pools nil, so the default app_pools finds no pool to check, and a pool named in
// app_pools fails its step with the event of a failed read, never a success.

// PoolState is not implemented on Windows yet; see the note above.
func (h *Host) PoolState(_ context.Context, name string) (platform.PoolState, error) {
	return platform.PoolUnknown, fmt.Errorf("reading application pool %q: %w", name, platform.ErrNotImplemented)
}

// StartPool is not implemented on Windows yet; see the note above.
func (h *Host) StartPool(_ context.Context, name string) error {
	return fmt.Errorf("starting application pool %q: %w", name, platform.ErrNotImplemented)
}
