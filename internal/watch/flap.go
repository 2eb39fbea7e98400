package watch

// historyLen is how many check results flap detection weighs: Nagios' 21
// (MAX_STATE_HISTORY_ENTRIES), which give 20 state transitions.
const historyLen = 21

// Nagios weighs the oldest transition 0.75 and the newest 1.25, linearly in between, so
// a recent change counts more than an old one (nagioscore base/flapping.c,
// low_curve_value and high_curve_value).
const (
	lowCurve  = 0.75
	highCurve = 1.25
)

// history is one resource's state (up or down) after each of its last historyLen checks,
// quick and deep alike, oldest first; true is up. It records the resource's state, not
// the check's result: a site whose quickchecks pass and deepchecks fail is down after
// every check, and does not flap.
type history struct {
	results []bool
}

// add records one result, forgetting the oldest beyond historyLen.
func (h *history) add(ok bool) {
	if len(h.results) == historyLen {
		copy(h.results, h.results[1:])
		h.results = h.results[:historyLen-1]
	}
	h.results = append(h.results, ok)
}

// percentStateChange is Nagios' weighted percent state change of the history. Nagios
// starts a history filled with the first state it sees, so a shorter history counts as
// if its first result had filled the missing older places: no change there.
func (h *history) percentStateChange() float64 {
	if len(h.results) < 2 {
		return 0
	}
	pad := historyLen - len(h.results)
	var changes float64
	for i := 1; i < len(h.results); i++ {
		if h.results[i] == h.results[i-1] {
			continue
		}
		x := pad + i // the transition's place among the 20, 1 = oldest
		changes += float64(x-1)*(highCurve-lowCurve)/float64(historyLen-2) + lowCurve
	}
	return changes * 100 / float64(historyLen-1)
}

// flapState applies Nagios' hysteresis: flapping ends when the percentage falls to low,
// starts when it reaches high, and between the two stays as it was. Nagios tests low
// first, so with low equal to high that percentage is not flapping.
func flapState(flapping bool, percent, low, high float64) bool {
	switch {
	case percent <= low:
		return false
	case percent >= high:
		return true
	}
	return flapping
}
