package watch

import (
	"time"
)

// stagger is resource i's (of n) offset within interval: the starts are spread evenly
// over one interval, so 1,000 resources do not fire in the same tick (Consul and
// Kubernetes stagger their checks the same way, at random; an even spread by position
// is as good and testable).
func stagger(i, n int, interval time.Duration) time.Duration {
	if n <= 1 {
		return 0
	}
	return time.Duration(int64(interval) / int64(n) * int64(i))
}

// Bounds of the scheduler's resolution: the loop wakes a quarter of the shortest quick
// interval apart, never more often than every 10 ms nor less often than every second.
const (
	minResolution = 10 * time.Millisecond
	maxResolution = time.Second
)

// resolution is how often the scheduler looks for due checks.
func resolution(shortestQuick time.Duration) time.Duration {
	return min(max(shortestQuick/4, minResolution), maxResolution)
}
