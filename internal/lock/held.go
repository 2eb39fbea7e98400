package lock

import (
	"context"
	"fmt"
	"os"
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
}

// NewHeld returns tag's lock in dir; nothing is opened until Acquire.
func NewHeld(dir, tag string) *Held {
	return &Held{dir: dir, tag: tag, sem: make(chan struct{}, 1)}
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
		if h.f == nil {
			if err := h.open(); err != nil {
				<-h.sem
				return nil, err
			}
		}
		ok, err := tryLock(h.f)
		if err != nil {
			h.drop()
			<-h.sem
			return nil, fmt.Errorf("lock resource %q: %w", h.tag, err)
		}
		if ok {
			if h.current() {
				f := h.f
				return func() { unlock(f); <-h.sem }, nil
			}
			// The path names another file now (removed, or replaced): the lock just
			// taken excludes nobody. Open the path afresh and lock that.
			unlock(h.f)
			h.drop()
			continue
		}
		select {
		case <-ctx.Done():
			<-h.sem
			return nil, h.busy(start)
		case <-time.After(pollInterval):
		}
	}
}

// Close closes the lock file, waiting for a holder to release it first.
func (h *Held) Close() {
	h.sem <- struct{}{}
	h.drop()
	<-h.sem
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
