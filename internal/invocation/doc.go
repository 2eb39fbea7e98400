// Package invocation is the one resolution every command runs: what an entry point was
// given (flags, OCF parameters, a generated script's arguments) and the resource file
// and environment become an Invocation (the resource, its timing, the platform and the
// event sinks), which then runs one action. The resource options come from
// resource.OptionTable and the common settings from Settings' table, so the flags, the
// OCF parameters and the files agree on every name and default.
package invocation

import "io"

// Streams are a command's environment: its variables and output streams.
type Streams struct {
	Getenv func(string) string
	// Environ lists the environment as KEY=VALUE (os.Environ); nil when the caller has
	// no list (only Getenv is asked then).
	Environ func() []string
	Stdout  io.Writer
	Stderr  io.Writer
}
