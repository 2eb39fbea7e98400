package safefile

import (
	"fmt"
	"os"
	"sync"
)

// Appender appends to the regular file at a path and can open that path again: a daemon
// writing an events file reopens it when logrotate has renamed it (on SIGHUP), so that
// the new lines go to the new file instead of the rotated one.
type Appender struct {
	path string
	perm os.FileMode
	mu   sync.Mutex
	f    *os.File
}

// NewAppender opens path for appending (OpenAppend).
func NewAppender(path string, perm os.FileMode) (*Appender, error) {
	f, err := OpenAppend(path, perm)
	if err != nil {
		return nil, err
	}
	return &Appender{path: path, perm: perm, f: f}, nil
}

// Write appends p in one write to the file now open.
func (a *Appender) Write(p []byte) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.f.Write(p)
}

// Reopen opens the path afresh and closes the file it replaces. When the path cannot be
// opened, the old file stays in use and the error says why.
func (a *Appender) Reopen() error {
	f, err := OpenAppend(a.path, a.perm)
	if err != nil {
		return fmt.Errorf("reopen %s: %w", a.path, err)
	}
	a.mu.Lock()
	old := a.f
	a.f = f
	a.mu.Unlock()
	return old.Close()
}

// Close closes the file.
func (a *Appender) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.f.Close()
}
