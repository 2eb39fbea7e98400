package action

import (
	"context"
	"log/slog"
	"sync"
)

// repeats keeps a step's diagnostics from flooding the log during an outage: a wait or a
// read loop that meets the same failure at every retry (about 120 times at the default
// deadline and interval) logs it once at its own level, the repeats only at Info (seen
// with --verbose), and, when the action ends, one line at the first one's level with how
// many repeats there were and the last one's details.
type repeats struct {
	mu    sync.Mutex
	seen  map[diagKey]*diagCount
	order []diagKey // first-seen order, so the summary lines come out in a stable order
}

// diagKey is what makes two diagnostics "the same": the step and the message. The error
// text is left out on purpose: during one outage it changes (refused, then timed out),
// and the summary keeps the last one.
type diagKey struct{ step, msg string }

type diagCount struct {
	level   slog.Level
	repeats int
	last    []any // the last repeat's attributes
}

// diag logs one diagnostic of step at level; a repeat of the same message in the same
// step goes to Info with its repeat number, and is counted for summarise.
func (r *run) diag(level slog.Level, step, msg string, args ...any) {
	attrs := append([]any{"step", step}, args...)
	k := diagKey{step, msg}
	r.repeats.mu.Lock()
	if r.repeats.seen == nil {
		r.repeats.seen = make(map[diagKey]*diagCount)
	}
	c, ok := r.repeats.seen[k]
	if !ok {
		r.repeats.seen[k] = &diagCount{level: level}
		r.repeats.order = append(r.repeats.order, k)
	} else {
		c.repeats++
		c.last = attrs
		level = slog.LevelInfo
		attrs = append(attrs, "repeat", c.repeats)
	}
	r.repeats.mu.Unlock()
	r.log.Log(context.Background(), level, msg, attrs...)
}

// summarise logs, once the action ends, one line per repeated diagnostic at its first
// occurrence's level: how many repeats were logged only at Info, and the last one.
func (r *run) summarise() {
	r.repeats.mu.Lock()
	defer r.repeats.mu.Unlock()
	for _, k := range r.repeats.order {
		c := r.repeats.seen[k]
		if c.repeats == 0 {
			continue
		}
		r.log.Log(context.Background(), c.level, k.msg+" (repeated)", append([]any{"repeats", c.repeats}, c.last...)...)
	}
	r.repeats.seen, r.repeats.order = nil, nil
}
