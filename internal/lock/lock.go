// Package lock keeps two iiskit actions on the same tag from running at once (SPEC S4),
// across processes, with an advisory lock on a file named after a hash of the tag.
package lock

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DirEnv names the environment variable that overrides the lock folder.
const DirEnv = "IISKIT_LOCK_DIR"

// pollInterval is how often a waiting action tries the lock again. The operating systems'
// blocking lock calls cannot be given a deadline, so iiskit polls a non-blocking one.
const pollInterval = 25 * time.Millisecond

// ErrBusy reports that another action held the tag's lock until the deadline.
var ErrBusy = errors.New("another iiskit action on this resource is still running")

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
	sum := sha256.Sum256([]byte(strings.ToLower(tag)))
	return filepath.Join(dir, hex.EncodeToString(sum[:12])+".lock")
}

// Acquire takes the lock of tag, waiting until ctx's deadline for an action that holds
// it. The returned function releases it.
func Acquire(ctx context.Context, dir, tag string) (release func(), err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create the lock folder: %w", err)
	}
	path := Path(dir, tag)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open the lock file of resource %q: %w", tag, err)
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
			return nil, fmt.Errorf("resource %q: %w (waited %s for lock %s)", tag, ErrBusy, time.Since(start).Round(time.Millisecond), path)
		case <-time.After(pollInterval):
		}
	}
}
