package svchost

import (
	"flag"
	"fmt"

	"github.com/iiskit/iiskit/internal/usage"
	"github.com/iiskit/iiskit/internal/watch"
)

// Helps are `iiskit watch install` and `iiskit watch uninstall`, without their flags
// (Help adds them).
var Helps = []*usage.Command{
	{
		Name:     "watch install",
		Summary:  "register the watch daemon as the Windows service iiskit-watch (automatic start, restarted on failure)",
		Usage:    []string{"iiskit watch install --config FILE [--listen ADDR]"},
		Text:     "Windows only; run it as an administrator. The resource file is checked first.",
		Examples: []string{`iiskit watch install --config C:\iiskit\resources.toml`},
	},
	{
		Name:     "watch uninstall",
		Summary:  "remove the Windows service iiskit-watch",
		Usage:    []string{"iiskit watch uninstall"},
		Text:     "Windows only; run it as an administrator.",
		Examples: []string{"iiskit watch uninstall"},
	},
}

// options are what `iiskit watch install|uninstall` reads from its command line.
type options struct {
	config, listen string
}

// flagSet is the flag set of `iiskit watch install|uninstall`, filling o.
func flagSet(verb string, o *options, getenv func(string) string) *flag.FlagSet {
	fs := flag.NewFlagSet("watch "+verb, flag.ContinueOnError)
	fs.StringVar(&o.config, "config", getenv("IISKIT_CONFIG"), "the service's resource `FILE`; default $IISKIT_CONFIG")
	fs.StringVar(&o.listen, "listen", watch.DefaultListen, "serve the status page and metrics on `ADDR`")
	return fs
}

// Help is the help of `iiskit watch VERB` (install or uninstall), with its flags; nil
// for another verb.
func Help(verb string, getenv func(string) string) *usage.Command {
	h := usage.Sub(Helps, verb)
	if h == nil {
		return nil
	}
	c := *h
	if verb == "install" {
		c.Flags = []usage.Group{{Title: "Flags", Flags: usage.Flags(flagSet(verb, &options{}, getenv), "config", "listen")}}
	}
	return &c
}

// parse reads the command line of `iiskit watch VERB`, on every system, so that -h and a
// usage error read the same everywhere: ok is false when the command is done, with the
// exit status code (0 after -h).
func parse(verb string, args []string, in Install) (o options, code int, ok bool) {
	help := Help(verb, in.Getenv)
	if help == nil {
		return o, 2, false // the dispatcher sends install and uninstall only
	}
	fs := flagSet(verb, &o, in.Getenv)
	if err := help.Parse(fs, args, in.Stdout, in.Stderr); err != nil {
		return o, usage.Status(err), false
	}
	if fs.NArg() > 0 {
		return o, usage.Status(help.Fail(in.Stderr, fmt.Errorf("unexpected argument %q", fs.Arg(0)))), false
	}
	return o, 0, true
}
