package resource

import (
	"fmt"
	"strconv"
	"strings"
)

// StatusRange is an inclusive range of HTTP status codes.
type StatusRange struct{ Min, Max int }

// StatusRanges is a list of accepted HTTP statuses such as "200-399,401"; the empty list
// accepts every status, as the original does.
type StatusRanges []StatusRange

// ParseStatusRanges reads a comma-separated list of statuses and ranges ("200-399,401").
func ParseStatusRanges(s string) (StatusRanges, error) {
	var out StatusRanges
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		min, err1 := strconv.Atoi(strings.TrimSpace(lo))
		max := min
		var err2 error
		if isRange {
			max, err2 = strconv.Atoi(strings.TrimSpace(hi))
		}
		if err1 != nil || err2 != nil || min < 100 || max > 599 || min > max {
			return nil, fmt.Errorf("expect_status %q: want statuses or ranges from 100 to 599, e.g. 200-399,401", s)
		}
		out = append(out, StatusRange{min, max})
	}
	return out, nil
}

// Accepts reports whether status is in one of the ranges; an empty list accepts any status.
func (rs StatusRanges) Accepts(status int) bool {
	if len(rs) == 0 {
		return true
	}
	for _, r := range rs {
		if status >= r.Min && status <= r.Max {
			return true
		}
	}
	return false
}

// String returns the list in the form ParseStatusRanges reads.
func (rs StatusRanges) String() string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		if r.Min == r.Max {
			parts[i] = strconv.Itoa(r.Min)
		} else {
			parts[i] = fmt.Sprintf("%d-%d", r.Min, r.Max)
		}
	}
	return strings.Join(parts, ",")
}
