// Package clock is the time source of iiskit's bounded waits, so that tests can run the
// "10 reads, 1 s apart" loops of SPEC.md in no wall time.
package clock

import "time"

// Clock is the subset of k8s.io/utils/clock.Clock that bounded retries need.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives the time once d has passed.
	After(d time.Duration) <-chan time.Time
}

// Real is the wall clock.
type Real struct{}

var _ Clock = Real{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// After returns time.After(d).
func (Real) After(d time.Duration) <-chan time.Time { return time.After(d) }
