package action

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/iiskit/iiskit/internal/clock"
	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/probe"
)

// Prober is what deepcheck and pollsite need from package probe; tests substitute a fake.
type Prober interface {
	HTTP(ctx context.Context, t probe.HTTPTarget) probe.Result
	FTPLogin(ctx context.Context, t probe.FTPTarget) probe.Result
	SMTP(ctx context.Context, t probe.SMTPTarget) probe.Result
}

// Env is everything an action works with: the host, the probes, where events go, the
// clock and the timing options.
type Env struct {
	Host   platform.Host
	Probe  Prober
	Events event.Sink
	Clock  clock.Clock
	// Log receives diagnostics that are not events (why a platform call failed); nil
	// discards them.
	Log     *slog.Logger
	Options Options
	// Locker, when set, serialises the actions on one tag (SPEC S4): each action takes
	// the tag's lock before its first step. nil runs without a lock (unit tests).
	Locker Locker
}

// Options are an action's timing (SPEC Timing). Zero fields take the defaults.
type Options struct {
	// RetryInterval separates the reads of M4, C3 and R6 and the polls of a starting
	// service (default 1 s).
	RetryInterval time.Duration
	// Reads is how many times M4, C3 and R6 read the site state in all (default 10).
	Reads int
	// Timeout is the action's overall deadline (default 120 s for restore, remove and
	// recover; 30 s for the checks).
	Timeout time.Duration
	// ProbeTimeout bounds every probe stage (default 10 s).
	ProbeTimeout time.Duration
}

// The defaults of SPEC Timing.
const (
	DefaultRetryInterval = time.Second
	DefaultReads         = 10
	DefaultChangeTimeout = 120 * time.Second
	DefaultCheckTimeout  = 30 * time.Second
	DefaultProbeTimeout  = 10 * time.Second
)

// withDefaults fills zero fields; timeout is this action's default deadline.
func (o Options) withDefaults(timeout time.Duration) Options {
	if o.RetryInterval <= 0 {
		o.RetryInterval = DefaultRetryInterval
	}
	if o.Reads <= 0 {
		o.Reads = DefaultReads
	}
	if o.Timeout <= 0 {
		o.Timeout = timeout
	}
	if o.ProbeTimeout <= 0 {
		o.ProbeTimeout = DefaultProbeTimeout
	}
	return o
}

// Status is an action's exit status (SPEC §2).
type Status int

// The three exit statuses of the actions.
const (
	Success Status = 0
	Failure Status = 1
	Usage   Status = 2
)

// String returns "success", "failure" or "usage error".
func (s Status) String() string {
	switch s {
	case Success:
		return "success"
	case Failure:
		return "failure"
	case Usage:
		return "usage error"
	}
	return fmt.Sprintf("status %d", int(s))
}
