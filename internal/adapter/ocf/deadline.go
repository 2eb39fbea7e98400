package ocf

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// The margin between Pacemaker's timeout and iiskit's own deadline: a tenth of the
// timeout, at least minMargin and at most maxMargin. It leaves time for the process to
// start, write its closing events and exit, so iiskit reports a timed-out step with its
// event instead of being killed silently.
const (
	minMargin = 500 * time.Millisecond
	maxMargin = 5 * time.Second
)

// MaxTimeout is the longest timeout the agent takes from Pacemaker; a longer one (up to
// any number of digits) is clamped to it rather than overflowing into a short deadline.
const MaxTimeout = 7 * 24 * time.Hour

// Deadline turns OCF_RESKEY_CRM_meta_timeout (milliseconds, as Pacemaker passes it) into
// the action's --timeout. ok is false when no timeout is set (the action keeps its
// default deadline).
func Deadline(metaTimeoutMS string) (d time.Duration, ok bool, err error) {
	s := strings.TrimSpace(metaTimeoutMS)
	if s == "" {
		return 0, false, nil
	}
	ms, err := strconv.ParseInt(s, 10, 64)
	if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(s, "-") {
		ms, err = math.MaxInt64, nil // more digits than int64 holds: clamped below
	}
	if err != nil || ms <= 0 {
		return 0, false, fmt.Errorf("%s%s %q is not a number of milliseconds", EnvPrefix, metaTimeoutParam, metaTimeoutMS)
	}
	// Milliseconds beyond MaxTimeout would overflow time.Duration (a 0.22 s deadline
	// from 2^63 ns wrapping): clamp before converting.
	timeout := MaxTimeout
	if ms < int64(MaxTimeout/time.Millisecond) {
		timeout = time.Duration(ms) * time.Millisecond
	}
	margin := min(max(timeout/10, minMargin), maxMargin)
	if timeout <= 2*margin {
		// A very short timeout: keep half of it rather than nothing.
		return timeout / 2, true, nil
	}
	return timeout - margin, true, nil
}
