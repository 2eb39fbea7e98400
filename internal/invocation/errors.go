package invocation

import (
	"errors"
	"strings"

	"github.com/iiskit/iiskit/internal/config"
)

// Class says how far a failed resolution's cause reaches, which is what a cluster adapter
// reports: a definition wrong on every node, a file missing on this node only, or an
// action interrupted before it began.
type Class int

// The classes of a resolution error.
const (
	// Definition: the command line, the parameters or the resource file's contents are
	// wrong, and would be on any node (CLI exit 2, OCF_ERR_CONFIGURED).
	Definition Class = iota
	// NodeLocal: a file the definition names (the resource file, the FTP password file)
	// is missing or unreadable here; another node may have it (CLI exit 2,
	// OCF_ERR_INSTALLED).
	NodeLocal
	// Interrupted: the deadline passed or a signal came while the definition was read
	// (exit 1, OCF_ERR_GENERIC).
	Interrupted
)

// Classify tells the class of an error from Resolve, ParseFlags or the host's building.
func Classify(err error) Class {
	var ie interruptedError
	var fe *config.FileError
	switch {
	case errors.As(err, &ie):
		return Interrupted
	case errors.As(err, &fe):
		return NodeLocal
	}
	return Definition
}

// interruptedError is a resolution cut short by its context.
type interruptedError struct{ error }

func (e interruptedError) Unwrap() error { return e.error }

var errNotPositive = errors.New("must be longer than zero")

// Namer calls a setting or option, given by its key, by the name the user gave it: the
// flag (--ftp-tls) on the command line, the parameter (ftp_tls) in OCF.
type Namer func(key string) string

// FlagNames names keys as the command line spells them: --flag.
func FlagNames(key string) string {
	if o, ok := optionByKey(key); ok {
		return "--" + o.Flag
	}
	if st, ok := SettingByKey(key); ok {
		return "--" + st.Flag
	}
	return "--" + strings.ReplaceAll(key, "_", "-")
}

// Error is a bad value or combination of settings. It keeps the keys concerned apart from
// its words, so that each entry point says the same thing in its own names (Named).
type Error struct {
	// Keys are the options' or settings' keys concerned.
	Keys []string
	text func(names []string) string
	err  error
}

// Error names the settings as the command line spells them.
func (e *Error) Error() string { return e.Named(FlagNames) }

// Named writes the message with each key called name(key).
func (e *Error) Named(name Namer) string {
	names := make([]string, len(e.Keys))
	for i, k := range e.Keys {
		names[i] = name(k)
	}
	return e.text(names)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.err }

// badValue reports a value key could not take: "NAME: err" ("NAME must be longer than
// zero" for a duration that is not).
func badValue(key string, err error) *Error {
	if errors.Is(err, errNotPositive) {
		return &Error{Keys: []string{key}, err: err, text: func(n []string) string { return n[0] + " must be longer than zero" }}
	}
	return &Error{Keys: []string{key}, err: err, text: func(n []string) string { return n[0] + ": " + err.Error() }}
}

// badKeys reports a rule about several keys broken; text gets their names in order.
func badKeys(text func(names []string) string, keys ...string) *Error {
	return &Error{Keys: keys, text: text}
}

// Message is err as an entry point reports it, every key called by name.
func Message(err error, name Namer) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Named(name)
	}
	return err.Error()
}
