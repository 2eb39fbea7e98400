package ocf

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Level is an OCF check level (OCF_CHECK_LEVEL): how deep monitor and validate-all look.
type Level int

// The check levels the agent knows.
const (
	// Quick is level 0: quickcheck (service running, site exists and is Started).
	Quick Level = 0
	// Deep is level 10: deepcheck (quickcheck, then a probe of every binding).
	Deep Level = 10
)

// ParseLevel reads OCF_CHECK_LEVEL. An unknown level falls back to the next lower known
// one (5 → 0, 20 → 10), as OCF agents do; an empty value is 0. A value that is not a
// number, or is negative, also means 0, and warning says so (the cluster's monitor keeps
// running rather than failing over a typo).
func ParseLevel(s string) (l Level, warning string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Quick, ""
	}
	n, err := strconv.Atoi(s)
	if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(s, "-") {
		// A level beyond int is still above 10: the deepest check, as for 20.
		return Deep, fmt.Sprintf("OCF_CHECK_LEVEL %s is not a level of this agent (0, 10); using %d", s, Deep)
	}
	if err != nil || n < 0 {
		return Quick, fmt.Sprintf("OCF_CHECK_LEVEL %q is not a check level; using 0", s)
	}
	if n >= int(Deep) {
		l = Deep
	}
	if n != int(l) {
		warning = fmt.Sprintf("OCF_CHECK_LEVEL %d is not a level of this agent (0, 10); using %d", n, l)
	}
	return l, warning
}
