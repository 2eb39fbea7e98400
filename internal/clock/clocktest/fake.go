// Package clocktest provides a fake clock whose waits return at once.
package clocktest

import (
	"sync"
	"time"

	"github.com/iiskit/iiskit/internal/clock"
)

// Fake is a clock that jumps forward by d whenever After(d) is called, so a wait never
// takes wall time but Now still moves as if it had.
type Fake struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

var _ clock.Clock = (*Fake)(nil)

// New returns a fake clock set to t.
func New(t time.Time) *Fake { return &Fake{now: t} }

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// After advances the fake time by d and returns a channel that already holds it.
func (f *Fake) After(d time.Duration) <-chan time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
	f.waits = append(f.waits, d)
	ch := make(chan time.Time, 1)
	ch <- f.now
	return ch
}

// Waits returns the durations waited so far, in order.
func (f *Fake) Waits() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waits...)
}
