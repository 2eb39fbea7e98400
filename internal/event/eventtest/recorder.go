// Package eventtest provides helpers for tests of event emitters.
package eventtest

import "github.com/iiskit/iiskit/internal/event"

// Recorder is an event.Sink that keeps every event in order: event.Recorder, named here
// so that tests keep their spelling.
type Recorder = event.Recorder
