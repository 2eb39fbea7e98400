package ocf

import (
	"fmt"
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

// Deadline turns OCF_RESKEY_CRM_meta_timeout (milliseconds, as Pacemaker passes it) into
// the action's --timeout. ok is false when no timeout is set (the action keeps its
// default deadline).
func Deadline(metaTimeoutMS string) (d time.Duration, ok bool, err error) {
	s := strings.TrimSpace(metaTimeoutMS)
	if s == "" {
		return 0, false, nil
	}
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil || ms <= 0 {
		return 0, false, fmt.Errorf("OCF_RESKEY_CRM_meta_timeout %q is not a number of milliseconds", metaTimeoutMS)
	}
	timeout := time.Duration(ms) * time.Millisecond
	margin := min(max(timeout/10, minMargin), maxMargin)
	if timeout <= 2*margin {
		// A very short timeout: keep half of it rather than nothing.
		return timeout / 2, true, nil
	}
	return timeout - margin, true, nil
}
