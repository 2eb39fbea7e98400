package invocation

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/iiskit/iiskit/internal/usage"
)

// AdapterArg is one action flag of a script generator's command line (lifekeeper
// scripts, wsfc script), kept so that the generated scripts run iiskit with exactly these
// flags.
type AdapterArg struct {
	Name, Value string
	HasValue    bool
}

// String writes the flag as one argument, --name=value: unambiguous wherever it travels.
func (a AdapterArg) String() string {
	if a.HasValue {
		return "--" + a.Name + "=" + a.Value
	}
	return "--" + a.Name
}

// AdapterCommand is a script generator's command line read: its own flags and the action
// flags, the latter read by ParseFlags, the one definition of the actions' flags.
type AdapterCommand struct {
	// Own are the generator's own flags given (all take a value).
	Own map[string]string
	// Args are the action flags, in the order given.
	Args []AdapterArg
	// Request is what the action flags say.
	Request *Request
}

// ParseAdapterCommand reads args: the flags named in own (all valued) belong to the
// generator, every other flag is an action flag. Whether an action flag takes a value is
// the action flag set's answer (a bool flag does not), so every flag the actions accept
// is accepted here the same way. -h writes help on s.Stdout (exit status 0); a usage error
// is written by help.Fail and reported as exit status 2.
func ParseAdapterCommand(help *usage.Command, args []string, own []string, s Streams) (*AdapterCommand, int) {
	c := &AdapterCommand{Own: map[string]string{}}
	isOwn := func(n string) bool {
		for _, o := range own {
			if o == n {
				return true
			}
		}
		return false
	}
	fail := func(err error) (*AdapterCommand, int) {
		_ = help.Fail(s.Stderr, err)
		return nil, 2
	}
	probe, _ := NewFlagSet(help.Name, Streams{Getenv: s.Getenv, Stdout: io.Discard, Stderr: io.Discard})
	var canonical []string
	for i := 0; i < len(args); i++ {
		tok := args[i]
		if !strings.HasPrefix(tok, "-") || tok == "-" || tok == "--" {
			return fail(fmt.Errorf("unexpected argument %q (every setting is a flag)", tok))
		}
		n, v, hasValue := strings.Cut(strings.TrimLeft(tok, "-"), "=")
		if !isOwn(n) && probe.Lookup(n) == nil && n != "h" && n != "help" {
			return fail(fmt.Errorf("flag provided but not defined: %s", tok))
		}
		// -h and -help are the flag package's own, and take no value.
		noValue := !isOwn(n) && (IsBoolFlag(probe, n) || n == "h" || n == "help")
		if !hasValue && !noValue {
			if i+1 >= len(args) {
				return fail(fmt.Errorf("flag %s needs a value", tok))
			}
			i++
			v, hasValue = args[i], true
		}
		if isOwn(n) {
			c.Own[n] = v
			continue
		}
		a := AdapterArg{Name: n, Value: v, HasValue: hasValue}
		c.Args = append(c.Args, a)
		canonical = append(canonical, a.String())
	}
	req, err := ParseCommand(help, canonical, s)
	switch {
	case errors.Is(err, flag.ErrHelp), errors.Is(err, ErrReported):
		return nil, usage.Status(err)
	case err != nil:
		return fail(err)
	}
	c.Request = req
	return c, 0
}

// Without returns the action flags but those named (flag names, without dashes).
func (c *AdapterCommand) Without(names ...string) []AdapterArg {
	var out []AdapterArg
next:
	for _, a := range c.Args {
		for _, n := range names {
			if a.Name == n {
				continue next
			}
		}
		out = append(out, a)
	}
	return out
}

// Carried returns the action flags but those named, one argument each, as a generated
// script passes them. A generated script runs from a folder of the cluster's choosing
// (LifeKeeper's own, system32 for WSFC), so every path-valued flag (marked Path in the
// tables) is made absolute by ScriptPath.
func (c *AdapterCommand) Carried(dropped ...string) []string {
	args := c.Without(dropped...)
	for i, a := range args {
		if IsPath(a.Name) {
			args[i].Value = ScriptPath(a.Value)
		}
	}
	return ArgStrings(args)
}

// ScriptPath makes p absolute, against this process's working folder, for a script that
// runs from another. A path already absolute in Windows' forms (X:\, X:/, \\server\share)
// is kept as given on any OS: it names a file on the cluster's nodes, which the machine
// writing the script may not be (filepath.Abs on Linux would prefix it with the working
// folder). A path that cannot be resolved is kept as given too.
func ScriptPath(p string) string {
	if p == "" || WindowsAbs(p) {
		return p
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// WindowsAbs reports whether p is an absolute Windows path: a drive letter with a root
// (C:\x, C:/x) or a UNC path (\\server\share, //server/share).
func WindowsAbs(p string) bool {
	isSep := func(c byte) bool { return c == '\\' || c == '/' }
	if len(p) >= 3 && p[1] == ':' && isSep(p[2]) {
		c := p[0] | 0x20 // lower case
		return c >= 'a' && c <= 'z'
	}
	return len(p) >= 3 && isSep(p[0]) && isSep(p[1]) && !isSep(p[2])
}

// ArgStrings writes args one argument each.
func ArgStrings(args []AdapterArg) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a.String()
	}
	return out
}
