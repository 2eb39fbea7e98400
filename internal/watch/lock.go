package watch

import (
	"context"

	"github.com/iiskit/iiskit/internal/lock"
)

// TagLock is the per-tag lock of SPEC S4 in the lock folder dir: the same lock a cluster
// manager's action takes, so the daemon's checks and a manager's action never overlap.
func TagLock(dir string) LockFunc {
	return func(ctx context.Context, tag string) (func(), error) {
		return lock.Acquire(ctx, dir, tag)
	}
}
