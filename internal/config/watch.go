package config

import (
	"fmt"
	"time"
)

// Watch is the watch daemon's schedule and thresholds for one resource: the file's
// [watch] table with the resource's own keys laid over it (CLI.md "The watch daemon").
type Watch struct {
	// QuickInterval separates two quickchecks of the resource.
	QuickInterval time.Duration
	// DeepInterval separates two deepchecks; never shorter than QuickInterval.
	DeepInterval time.Duration
	// FailuresBeforeRecover is how many checks in a row must fail before a local recovery.
	FailuresBeforeRecover int
	// RecoverBudget is how many recoveries, successful or not, RecoverWindow allows; 0
	// means the daemon only checks and never recovers.
	RecoverBudget int
	// RecoverWindow is the sliding window RecoverBudget counts in.
	RecoverWindow time.Duration
	// FlapLow and FlapHigh are percentages of state change over the last 21 results:
	// flapping starts at FlapHigh and ends at FlapLow.
	FlapLow, FlapHigh float64
}

// DefaultWatch is what a resource file without a [watch] table gets. The check intervals
// are LifeKeeper's (docs/watch.md names the sources), the flap thresholds Nagios'.
var DefaultWatch = Watch{
	QuickInterval:         2 * time.Minute,
	DeepInterval:          5 * time.Minute,
	FailuresBeforeRecover: 1,
	RecoverBudget:         3,
	RecoverWindow:         time.Hour,
	FlapLow:               5,
	FlapHigh:              20,
}

// rawWatch is the [watch] table, and the same keys inside a [[resource]] table; a nil
// field is a key the table does not set.
type rawWatch struct {
	QuickInterval         *duration `toml:"quick_interval"`
	DeepInterval          *duration `toml:"deep_interval"`
	RecoverWindow         *duration `toml:"recover_window"`
	FailuresBeforeRecover *int      `toml:"failures_before_recover"`
	RecoverBudget         *int      `toml:"recover_budget"`
	FlapLow               *float64  `toml:"flap_low"`
	FlapHigh              *float64  `toml:"flap_high"`
}

// over lays the keys rw sets over base and checks the result; bad names the offending
// key (file, line and key come from the caller, which knows which table this is).
func (rw rawWatch) over(base Watch, bad func(key, msg string) error) (Watch, error) {
	w := base
	if rw.QuickInterval != nil {
		w.QuickInterval = rw.QuickInterval.Duration
	}
	if rw.DeepInterval != nil {
		w.DeepInterval = rw.DeepInterval.Duration
	}
	if rw.RecoverWindow != nil {
		w.RecoverWindow = rw.RecoverWindow.Duration
	}
	if rw.FailuresBeforeRecover != nil {
		if *rw.FailuresBeforeRecover < 1 {
			return w, bad("failures_before_recover", "must be 1 or more")
		}
		w.FailuresBeforeRecover = *rw.FailuresBeforeRecover
	}
	if rw.RecoverBudget != nil {
		if *rw.RecoverBudget < 0 {
			return w, bad("recover_budget", "must be 0 (never recover) or more")
		}
		w.RecoverBudget = *rw.RecoverBudget
	}
	for _, p := range []struct {
		key string
		v   *float64
		to  *float64
	}{{"flap_low", rw.FlapLow, &w.FlapLow}, {"flap_high", rw.FlapHigh, &w.FlapHigh}} {
		if p.v == nil {
			continue
		}
		if *p.v < 0 || *p.v > 100 {
			return w, bad(p.key, fmt.Sprintf("%v is not a percentage from 0 to 100", *p.v))
		}
		*p.to = *p.v
	}
	// The relations are checked on the merged result, and blamed on the key this table
	// set, so that a resource overriding only quick_interval is told about its own key.
	if w.DeepInterval < w.QuickInterval {
		key := "deep_interval"
		if rw.DeepInterval == nil {
			key = "quick_interval"
		}
		return w, bad(key, fmt.Sprintf("deep_interval (%s) is shorter than quick_interval (%s)", w.DeepInterval, w.QuickInterval))
	}
	if w.FlapLow > w.FlapHigh {
		key := "flap_low"
		if rw.FlapLow == nil {
			key = "flap_high"
		}
		return w, bad(key, fmt.Sprintf("flap_low (%v) is above flap_high (%v)", w.FlapLow, w.FlapHigh))
	}
	return w, nil
}

// watchTable resolves the file's [watch] table over DefaultWatch.
func watchTable(name string, loc locator, rw rawWatch) (Watch, error) {
	return rw.over(DefaultWatch, func(key, msg string) error {
		return &DefinitionError{File: name, Line: loc.tableKey("watch", key), Key: "watch." + key, Msg: msg}
	})
}
