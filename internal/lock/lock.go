// Package lock keeps two iiskit actions on the same tag from running at once (SPEC S4),
// across processes, with an advisory lock on a file named after a hash of the tag.
//
// The lock folder is trusted only when it is safe (see openLockFile): made by iiskit, or
// owned by this user (or root, or on Windows SYSTEM and the Administrators) and writable
// by no one else, and no link in it is followed. A folder another user controls could
// make root create files through planted links, or let that user hold every lock.
package lock

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/iiskit/iiskit/internal/safefile"
)

// DirEnv names the environment variable that overrides the lock folder.
const DirEnv = "IISKIT_LOCK_DIR"

// pollInterval is how often a waiting action tries the lock again. The operating systems'
// blocking lock calls cannot be given a deadline, so iiskit polls a non-blocking one.
const pollInterval = 25 * time.Millisecond

// ErrBusy reports that another action held the tag's lock until the deadline.
var ErrBusy = errors.New("another iiskit action on this resource is still running")

// ErrUnsafeFolder is a lock folder (or a lock file in it) iiskit refuses to use: a link,
// owned by another user, or writable by others. It is safefile's, whose rule the lock
// folder follows.
var ErrUnsafeFolder = safefile.ErrUnsafeFolder

// Dir returns the folder holding the lock files: $IISKIT_LOCK_DIR, else the system's
// default (defaultDir), which is the same for every account that runs iiskit.
func Dir(getenv func(string) string) string {
	if d := getenv(DirEnv); d != "" {
		return d
	}
	return defaultDir(getenv)
}

// Path returns the lock file of tag inside dir. The name is a hash of the tag, never the
// tag itself (SPEC S2: no path is built from a name); tags compare case-insensitively.
func Path(dir, tag string) string {
	return filepath.Join(dir, fileName(tag))
}

func fileName(tag string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(tag)))
	return hex.EncodeToString(sum[:12]) + ".lock"
}

// Locker takes the per-tag locks of one folder; it is what package action's Env.Locker
// needs.
type Locker struct {
	Dir string
}

// TryLock takes the lock of tag if no other action holds it: ok is false when one does.
func (l Locker) TryLock(tag string) (release func(), ok bool, err error) {
	f, err := openLockFile(l.Dir, fileName(tag))
	if err != nil {
		return nil, false, err
	}
	got, err := tryLock(f)
	if err != nil || !got {
		f.Close()
		if err != nil {
			return nil, false, fmt.Errorf("lock resource %q: %w", tag, err)
		}
		return nil, false, nil
	}
	return func() { unlock(f); f.Close() }, true, nil
}

// Lock takes the lock of tag, waiting until ctx ends for an action that holds it.
func (l Locker) Lock(ctx context.Context, tag string) (release func(), err error) {
	return Acquire(ctx, l.Dir, tag)
}

// Acquire takes the lock of tag, waiting until ctx's deadline for an action that holds
// it. The returned function releases it.
func Acquire(ctx context.Context, dir, tag string) (release func(), err error) {
	f, err := openLockFile(dir, fileName(tag))
	if err != nil {
		return nil, err
	}
	start := time.Now()
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock resource %q: %w", tag, err)
		}
		if ok {
			return func() { unlock(f); f.Close() }, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, busyError(dir, tag, start)
		case <-time.After(pollInterval):
		}
	}
}

// busyError is ErrBusy for tag's lock in dir, waited for since start.
func busyError(dir, tag string, start time.Time) error {
	return fmt.Errorf("resource %q: %w (waited %s for lock %s)", tag, ErrBusy, time.Since(start).Round(time.Millisecond), Path(dir, tag))
}
