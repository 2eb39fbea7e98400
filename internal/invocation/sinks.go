package invocation

import (
	"fmt"

	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/safefile"
)

// OpenSinks builds the event sinks of the settings: JSON lines on stdout with json, else
// readable lines on stderr; events FILE appends JSON lines too; on Windows the
// Application event log as well. The sinks are independent: event.Multi writes every
// event to each, so a closed stdout under json does not cost the events file its lines.
func OpenSinks(set Settings, s Streams) (event.Multi, func(), error) {
	sinks, closeAll, _, err := OpenReopenableSinks(set, s)
	return sinks, closeAll, err
}

// OpenReopenableSinks is OpenSinks for the watch daemon: reopen opens the events file
// afresh (SIGHUP, after logrotate renamed it); it does nothing without one.
func OpenReopenableSinks(set Settings, s Streams) (sinks event.Multi, closeAll func(), reopen func() error, err error) {
	reopen = func() error { return nil }
	var closers []func() error
	closeAll = func() {
		for _, c := range closers {
			_ = c()
		}
	}
	if set.Platform == "windows" {
		if sink, closeSink, err := windowsEventSink(); err == nil {
			sinks = append(sinks, sink)
			closers = append(closers, closeSink)
		} else if DefaultPlatform == "windows" {
			fmt.Fprintf(s.Stderr, "iiskit: events go to stderr only: %v\n", err)
		}
	}
	if set.JSON {
		sinks = append(sinks, event.NewJSONSink(s.Stdout))
	} else {
		sinks = append(sinks, event.NewTextSink(s.Stderr))
	}
	if set.Events != "" {
		// Only a regular file: a FIFO named here would block the action forever.
		file, err := safefile.NewAppender(set.Events, 0o644)
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
