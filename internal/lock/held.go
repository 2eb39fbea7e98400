package lock

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
)

// Held is one tag's lock file kept open between uses, for a process that takes the same
// tags' locks again and again (the watch daemon: a check of each of 1,000 resources every
// few seconds). Taking it only locks the open file, then checks with one lstat that the
// lock file's path still names that file, instead of checking the folder and opening,
// checking and closing the file each time. A lock file removed or replaced meanwhile is
// never trusted: it is closed and the path opened again through the same folder checks as
// Acquire, so every other process taking the tag's lock locks the same file.
//
// The lock excludes the other users of the same Held too (flock does not exclude two
// users of one open file), so it is safe for concurrent use.
type Held struct {
	dir, tag string
	sem      chan struct{} // one user of the open file at a time, in this process
	f        *os.File      // the open lock file, nil until first used or after a replacement
	fi       os.FileInfo   // f's identity, to compare with the path's

	mu     sync.Mutex // orders Close against a release, so that neither leaves f open
	closed bool       // Close was called: each release closes the file instead of keeping it
}

// NewHeld returns tag's lock in dir; nothing is opened until Acquire.
func NewHeld(dir, tag string) *Held {
	return &Held{dir: dir, tag: tag, sem: make(chan struct{}, 1)}
}

// TryAcquire takes the lock if nobody holds it, in this process or another: ok is false
// when someone does. It never waits.
func (h *Held) TryAcquire() (release func(), ok bool, err error) {
	select {
	case h.sem <- struct{}{}:
	default:
		return nil, false, nil
	}
	release, err = h.attempt()
	if err != nil || release == nil {
		<-h.sem
		return nil, false, err
	}
	return release, true, nil
}

// Acquire takes the lock, waiting until ctx's deadline for an action that holds it, as
// package Acquire does. The returned function releases it and keeps the file open.
func (h *Held) Acquire(ctx context.Context) (release func(), err error) {
	start := time.Now()
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, h.busy(start)
	}
	for {
		release, err := h.attempt()
		if err != nil {
			<-h.sem
			return nil, err
		}
		if release != nil {
			return release, nil
		}
		select {
		case <-ctx.Done():
			<-h.sem
			return nil, h.busy(start)
		case <-time.After(pollInterval):
		}
	}
}

// attempt tries the lock once, with sem held; release is nil when another process holds
// it.
func (h *Held) attempt() (release func(), err error) {
	for {
		if h.f == nil {
			if err := h.open(); err != nil {
				return nil, err
			}
		}
		ok, err := tryLock(h.f)
		if err != nil {
			h.drop()
			return nil, fmt.Errorf("lock resource %q: %w", h.tag, err)
		}
		if !ok {
			return nil, nil
		}
		if h.current() {
			return h.release, nil
		}
		// The path names another file now (removed, or replaced): the lock just taken
		// excludes nobody. Open the path afresh and lock that.
		unlock(h.f)
		h.drop()
	}
}

// release unlocks the file, and closes it once Close has been called.
func (h *Held) release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	unlock(h.f)
	if h.closed {
		h.drop()
	}
	<-h.sem
}

// Close closes the lock file: at once when nobody holds the lock, else when its holder
// releases it, so a reload that drops a tag never waits for the tag's check. A Held used
// after Close still works, and closes its file at each release.
func (h *Held) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	select {
	case h.sem <- struct{}{}:
		h.drop()
		<-h.sem
	default: // held: its release closes the file
	}
}

// isOpen reports whether the lock file is open (tests); a held lock is open.
func (h *Held) isOpen() bool {
	select {
	case h.sem <- struct{}{}:
		defer func() { <-h.sem }()
		return h.f != nil
	default:
		return true
	}
}

func (h *Held) open() error {
	f, err := openLockFile(h.dir, fileName(h.tag))
	if err != nil {
		return err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("lock file %s: %w", Path(h.dir, h.tag), err)
	}
	h.f, h.fi = f, fi
	return nil
}

// current reports whether the lock file's path still names the open file.
func (h *Held) current() bool {
	fi, err := os.Lstat(Path(h.dir, h.tag))
	return err == nil && os.SameFile(fi, h.fi)
}

func (h *Held) drop() {
	if h.f != nil {
		h.f.Close()
		h.f, h.fi = nil, nil
	}
}

func (h *Held) busy(start time.Time) error {
	return busyError(h.dir, h.tag, start)
}

// Keeper takes the per-tag locks of one folder as Locker does (it is what package
// action's Env.Locker needs), but keeps each tag's lock file open between uses (Held):
// for the watch daemon, which locks the same tags again and again. Forget closes the file
// of a tag the daemon no longer protects, so tags dropped by reloads cost no descriptor.
type Keeper struct {
	dir  string
	mu   sync.Mutex
	held map[string]*Held // by lower-case tag, as the lock files are named
}

// NewKeeper returns the locks of folder dir; nothing is opened until a tag is locked.
func NewKeeper(dir string) *Keeper {
	return &Keeper{dir: dir, held: map[string]*Held{}}
}

func (k *Keeper) get(tag string) *Held {
	key := strings.ToLower(tag)
	k.mu.Lock()
	defer k.mu.Unlock()
	h, ok := k.held[key]
	if !ok {
		h = NewHeld(k.dir, tag)
		k.held[key] = h
	}
	return h
}

// TryLock takes the lock of tag if no other action holds it: ok is false when one does.
func (k *Keeper) TryLock(tag string) (release func(), ok bool, err error) {
	return k.get(tag).TryAcquire()
}

// Lock takes the lock of tag, waiting until ctx ends for an action that holds it.
func (k *Keeper) Lock(ctx context.Context, tag string) (release func(), err error) {
	return k.get(tag).Acquire(ctx)
}

// Forget closes tag's lock file (when its holder, if any, releases it) and forgets it; a
// later lock of tag opens it afresh.
func (k *Keeper) Forget(tag string) {
	key := strings.ToLower(tag)
	k.mu.Lock()
	h := k.held[key]
	delete(k.held, key)
	k.mu.Unlock()
	if h != nil {
		h.Close()
	}
}
