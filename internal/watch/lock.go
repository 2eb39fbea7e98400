package watch

import (
	"context"
	"strings"
	"sync"

	"github.com/iiskit/iiskit/internal/lock"
)

// TagLock is the per-tag lock of SPEC S4 in the lock folder dir: the same lock a cluster
// manager's action takes, so the daemon's checks and a manager's action never overlap.
// Each tag's lock file stays open between checks (lock.Held): a check only locks and
// unlocks it, rather than checking the folder and opening and closing the file. The
// daemon therefore keeps one descriptor open per tag it has checked, until it exits.
func TagLock(dir string) LockFunc {
	var mu sync.Mutex
	held := map[string]*lock.Held{} // by lower-case tag, as the lock files are named
	return func(ctx context.Context, tag string) (func(), error) {
		key := strings.ToLower(tag)
		mu.Lock()
		h, ok := held[key]
		if !ok {
			h = lock.NewHeld(dir, tag)
			held[key] = h
		}
		mu.Unlock()
		return h.Acquire(ctx)
	}
}
