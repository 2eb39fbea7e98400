package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/winpath"
)

// adapterArg is one action flag of an adapter command line (lifekeeper scripts, wsfc
// script), kept so that the generated scripts run iiskit with exactly these flags.
type adapterArg struct {
	name, value string
	hasValue    bool
}

// String writes the flag as one argument, --name=value: unambiguous wherever it travels.
func (a adapterArg) String() string {
	if a.hasValue {
		return "--" + a.name + "=" + a.value
	}
	return "--" + a.name
}

// boolActionFlags are parseActionFlags' flags that take no value. A boolean flag added
// there and not here makes the flag after it read as its value, which parseActionFlags
// then rejects ("invalid boolean value"): a loud error, never a silent misreading.
var boolActionFlags = map[string]bool{
	"json": true, "verbose": true, "recover-starts-site": true, "tls-verify": true,
	"deep-smtp": true, "h": true, "help": true,
}

// adapterCommand is an adapter command line read: its own flags and the action flags,
// the latter validated by parseActionFlags, the one definition of the actions' flags.
type adapterCommand struct {
	own    map[string]string // the adapter's own flags given
	args   []adapterArg      // the action flags, in the order given
	action *actionFlags
}

// parseAdapterCommand reads args: the flags named in own (all valued) belong to the
// adapter, every other flag is an action flag. A usage error is printed and reported as
// exit status 2 (0 for -h).
func parseAdapterCommand(name, usage string, args []string, own []string, s Streams) (*adapterCommand, int) {
	c := &adapterCommand{own: map[string]string{}}
	isOwn := func(n string) bool {
		for _, o := range own {
			if o == n {
				return true
			}
		}
		return false
	}
	fail := func(err error) (*adapterCommand, int) {
		fmt.Fprintf(s.Stderr, "iiskit %s: %v\nusage: %s\n", name, err, usage)
		return nil, 2
	}
	var canonical []string
	for i := 0; i < len(args); i++ {
		tok := args[i]
		if !strings.HasPrefix(tok, "-") || tok == "-" || tok == "--" {
			return fail(fmt.Errorf("unexpected argument %q (every setting is a flag)", tok))
		}
		n, v, hasValue := strings.Cut(strings.TrimLeft(tok, "-"), "=")
		if !hasValue && (isOwn(n) || !boolActionFlags[n]) {
			if i+1 >= len(args) {
				return fail(fmt.Errorf("flag %s needs a value", tok))
			}
			i++
			v, hasValue = args[i], true
		}
		if isOwn(n) {
			c.own[n] = v
			continue
		}
		a := adapterArg{name: n, value: v, hasValue: hasValue}
		c.args = append(c.args, a)
		canonical = append(canonical, a.String())
	}
	f, err := parseActionFlags(name, canonical, s)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintf(s.Stderr, "usage: %s\n", usage)
		return nil, 0
	case errors.Is(err, errReported):
		return nil, 2
	case err != nil:
		return fail(err)
	}
	c.action = f
	return c, 0
}

// without returns the action flags but those named.
func (c *adapterCommand) without(names ...string) []adapterArg {
	var out []adapterArg
next:
	for _, a := range c.args {
		for _, n := range names {
			if a.name == n {
				continue next
			}
		}
		out = append(out, a)
	}
	return out
}

// pathFlags are the action flags whose value is a file's path. A generated script runs
// from a folder of the cluster's choosing (LifeKeeper's own, system32 for WSFC), so they
// travel as absolute paths.
var pathFlags = map[string]bool{"config": true, "events": true, "ftp-password-file": true}

// carried returns the action flags but those named, one argument each, as a generated
// script passes them: every path made absolute by scriptPath.
func (c *adapterCommand) carried(dropped ...string) []string {
	args := c.without(dropped...)
	for i, a := range args {
		if pathFlags[a.name] {
			args[i].value = scriptPath(a.value)
		}
	}
	return argStrings(args)
}

// scriptPath makes p absolute, against this process's working folder, for a script that
// runs from another. A path already absolute in Windows' forms (X:\, X:/, \\server\share)
// is kept as given on any OS: it names a file on the cluster's nodes, which the machine
// writing the script may not be (filepath.Abs on Linux would prefix it with the working
// folder). A path that cannot be resolved is kept as given too.
func scriptPath(p string) string {
	if p == "" || windowsAbs(p) {
		return p
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// windowsAbs reports whether p is an absolute Windows path (winpath.IsAbs).
func windowsAbs(p string) bool { return winpath.IsAbs(p) }

// argStrings writes args one argument each.
func argStrings(args []adapterArg) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a.String()
	}
	return out
}

// resolveForScript resolves the resource a generated script will act on, as the actions
// would, under a check's deadline: writing a script reads the resource file but waits on
// nothing else.
func resolveForScript(f *actionFlags, s Streams) error {
	ctx, cancel := context.WithTimeout(context.Background(), action.DefaultCheckTimeout)
	defer cancel()
	_, _, err := f.resource(ctx, s.Getenv)
	return err
}
