package watch

import (
	"math"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/config"
)

// results builds a history from a string of p (passed) and f (failed), oldest first.
func results(s string) history {
	var h history
	for _, c := range s {
		h.add(c == 'p')
	}
	return h
}

// The expected values are computed by hand from Nagios' formula: transition x (1 = oldest
// of 20) weighs 0.75 + (x-1)*0.5/19, and the percentage is the sum of the weights of the
// transitions that changed state, times 100, over 20.
func TestPercentStateChange(t *testing.T) {
	tests := []struct {
		name, hist string
		want       float64
	}{
		{"no result", "", 0},
		{"steady", "ppppppppppppppppppppp", 0},
		{"one change, newest transition (weight 1.25)", "ppppppppppppppppppppf", 6.25},
		{"one change, oldest transition (weight 0.75)", "pffffffffffffffffffff", 3.75},
		// x = 10: 0.75 + 9*0.5/19 = 0.986842..., over 20 = 4.934210...%
		{"one change in the middle", "ppppppppppfffffffffff", (0.75 + 9*0.5/19) * 5},
		// 20 changes: 20*0.75 + 0.5/19*(0+1+...+19) = 15 + 5 = 20, i.e. 100%
		{"alternating", "pfpfpfpfpfpfpfpfpfpfp", 100},
		// the two newest transitions: 1.25 + (0.75 + 18*0.5/19) = 2.473684..., = 12.368421%
		{"blip at the end", "ppppppppppppppppppppfp"[1:], (1.25 + 0.75 + 18*0.5/19) * 5},
		// a short history counts as padded with its first result: f at place 21 of 21
		{"three results, last failed", "ppf", 6.25},
		// more than 21 results: the oldest is forgotten (the leading f)
		{"22 results", "fpppppppppppppppppppppp"[1:] + "f", 6.25},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := results(tc.hist)
			if got := h.percentStateChange(); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("percentStateChange(%s) = %.6f, want %.6f", tc.hist, got, tc.want)
			}
		})
	}
	h := results("fppppppppppppppppppppp")
	if len(h.results) != historyLen || h.percentStateChange() != 0 {
		t.Errorf("22 results keep %d, percent %.2f; want 21 and 0 (the oldest forgotten)", len(h.results), h.percentStateChange())
	}
}

func TestFlapStateHysteresis(t *testing.T) {
	tests := []struct {
		was     bool
		percent float64
		want    bool
	}{
		{false, 19.9, false}, {false, 20, true}, {true, 19.9, true}, {true, 5.1, true},
		{true, 5, false}, {false, 5, false}, {false, 12, false},
	}
	for _, tc := range tests {
		if got := flapState(tc.was, tc.percent, 5, 20); got != tc.want {
			t.Errorf("flapState(%v, %v, 5, 20) = %v, want %v", tc.was, tc.percent, got, tc.want)
		}
	}
	// Nagios tests low first: equal thresholds at that value mean not flapping.
	if flapState(true, 20, 20, 20) {
		t.Error("flapState at low == high == percent = true, want false as in Nagios")
	}
}

func TestDurationText(t *testing.T) {
	for d, want := range map[time.Duration]string{time.Hour: "1h", 90 * time.Minute: "1h30m", 2 * time.Minute: "2m", 1500 * time.Millisecond: "1.5s", 61 * time.Second: "1m1s"} {
		if got := durationText(d); got != want {
			t.Errorf("durationText(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestResolution(t *testing.T) {
	for q, want := range map[time.Duration]time.Duration{
		2 * time.Minute: time.Second, 4 * time.Second: time.Second, 2 * time.Second: 500 * time.Millisecond,
		300 * time.Millisecond: 75 * time.Millisecond, 20 * time.Millisecond: 10 * time.Millisecond,
	} {
		d := &Daemon{order: []*worker{{def: config.Resource{Watch: config.Watch{QuickInterval: q}}}, {def: config.Resource{Watch: config.Watch{QuickInterval: time.Hour}}}}}
		if got := d.resolution(); got != want {
			t.Errorf("resolution with a %s quick interval = %s, want %s", q, got, want)
		}
	}
}
