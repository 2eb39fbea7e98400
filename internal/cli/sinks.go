package cli

import (
	"fmt"

	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/safefile"
)

// openSinks builds the event sinks of CLI.md: JSON lines on stdout with --json, else
// readable lines on stderr; --events FILE appends JSON lines too; on Windows the
// Application event log as well. The sinks are independent: event.Multi writes every
// event to each, so a closed stdout under --json does not cost the events file its lines.
func openSinks(f *actionFlags, s Streams) (event.Multi, func(), error) {
	sinks, closeAll, _, err := openReopenableSinks(f, s)
	return sinks, closeAll, err
}

// openReopenableSinks is openSinks for the watch daemon: reopen opens the --events file
// afresh (SIGHUP, after logrotate renamed it); it does nothing without --events.
func openReopenableSinks(f *actionFlags, s Streams) (sinks event.Multi, closeAll func(), reopen func() error, err error) {
	reopen = func() error { return nil }
	var closers []func() error
	closeAll = func() {
		for _, c := range closers {
			_ = c()
		}
	}
	if f.platform == "windows" {
		if sink, closeSink, err := windowsEventSink(); err == nil {
			sinks = append(sinks, sink)
			closers = append(closers, closeSink)
		} else if defaultPlatform == "windows" {
			fmt.Fprintf(s.Stderr, "iiskit: events go to stderr only: %v\n", err)
		}
	}
	if f.json {
		sinks = append(sinks, event.NewJSONSink(s.Stdout))
	} else {
		sinks = append(sinks, event.NewTextSink(s.Stderr))
	}
	if f.events != "" {
		// Only a regular file: a FIFO named here would block the action forever.
		file, err := safefile.NewAppender(f.events, 0o644)
		if err != nil {
			closeAll()
			return nil, nil, nil, fmt.Errorf("--events: %w", err)
		}
		sinks = append(sinks, event.NewJSONSink(file))
		closers = append(closers, file.Close)
		reopen = file.Reopen
	}
	return sinks, closeAll, reopen, nil
}
