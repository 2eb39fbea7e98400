package cli

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"time"
)

// flagError is a bad action flag value or combination of flags. It keeps the flags' names
// apart from its words, so that an adapter whose settings have other names (the OCF
// agent's parameters) says the same thing in its own names (namedBy) rather than
// rewriting the text.
type flagError struct {
	flags []string                    // the flags concerned, without dashes
	text  func(names []string) string // the message, calling the flags by names
	err   error                       // the cause, if any, for errors.Is
}

// Error names the flags as the command line spells them: --name.
func (e *flagError) Error() string {
	return e.namedBy(func(f string) string { return "--" + f })
}

// namedBy writes the message with each flag called name(flag).
func (e *flagError) namedBy(name func(flag string) string) string {
	names := make([]string, len(e.flags))
	for i, f := range e.flags {
		names[i] = name(f)
	}
	return e.text(names)
}

// Unwrap returns the cause.
func (e *flagError) Unwrap() error { return e.err }

// badValue reports a value flag could not take: "FLAG: err".
func badValue(flag string, err error) *flagError {
	return &flagError{flags: []string{flag}, err: err,
		text: func(n []string) string { return n[0] + ": " + err.Error() }}
}

// badFlags reports a rule about flags broken; text gets their names in the order given.
func badFlags(text func(names []string) string, flags ...string) *flagError {
	return &flagError{flags: flags, text: text}
}

// valueNoter is a typed flag that notes, in *bad, the flag a value that does not parse was
// given to: the flag package keeps only the text of a Set error. Its zero value's String
// is its type's zero, as the flag package's help output expects.
type valueNoter struct {
	name string
	bad  **flagError
}

func (v valueNoter) note(s string, err error) error {
	if err != nil && v.bad != nil {
		*v.bad = badValue(v.name, fmt.Errorf("invalid value %q: %w", s, err))
	}
	return err
}

// durationFlag is a time.Duration flag that notes a bad value.
type durationFlag struct {
	valueNoter
	p *time.Duration
}

func (v *durationFlag) String() string {
	if v.p == nil {
		return time.Duration(0).String()
	}
	return v.p.String()
}

func (v *durationFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err == nil {
		*v.p = d
	}
	return v.note(s, err)
}

// intFlag is an int flag that notes a bad value.
type intFlag struct {
	valueNoter
	p *int
}

func (v *intFlag) String() string {
	if v.p == nil {
		return "0"
	}
	return strconv.Itoa(*v.p)
}

func (v *intFlag) Set(s string) error {
	n, err := strconv.ParseInt(s, 0, strconv.IntSize)
	if ne := (*strconv.NumError)(nil); errors.As(err, &ne) {
		err = ne.Err // "invalid syntax", "value out of range": the value is said already
	}
	if err == nil {
		*v.p = int(n)
	}
	return v.note(s, err)
}

// durationVar defines a duration flag on fs that notes a bad value in *bad.
func durationVar(fs *flag.FlagSet, bad **flagError, p *time.Duration, name string, value time.Duration, usage string) {
	*p = value
	fs.Var(&durationFlag{valueNoter{name, bad}, p}, name, usage)
}

// intVar defines an int flag on fs that notes a bad value in *bad.
func intVar(fs *flag.FlagSet, bad **flagError, p *int, name string, value int, usage string) {
	*p = value
	fs.Var(&intFlag{valueNoter{name, bad}, p}, name, usage)
}
