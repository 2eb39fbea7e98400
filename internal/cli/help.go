package cli

import (
	"errors"
	"fmt"

	"github.com/iiskit/iiskit/internal/usage"
)

// demoHelp is `iiskit demo -h`.
var demoHelp = &usage.Command{
	Name:    "demo",
	Summary: "the whole lifecycle of one site, narrated, on an embedded lab host (not on Windows)",
	Usage:   []string{"iiskit demo"},
	Text: "Starts an embedded lab host on 127.0.0.77, then runs restore, deepcheck, a fault,\n" +
		"quickcheck failing with its event, recover and remove, as a cluster manager would.",
	Examples: []string{"iiskit demo"},
}

// demoArgs answers -h and refuses any argument: done reports that the demo must not run,
// with the exit status code.
func demoArgs(args []string, s Streams) (code int, done bool) {
	switch {
	case usage.WantsHelp(args):
		demoHelp.Write(s.Stdout)
		return 0, true
	case len(args) > 0:
		return usage.Status(demoHelp.Fail(s.Stderr, fmt.Errorf("unexpected argument %q", args[0]))), true
	}
	return 0, false
}

// eventlogSubs are `iiskit eventlog install|uninstall`.
var eventlogSubs = []*usage.Command{
	{
		Name:     "eventlog install",
		Summary:  "register the event source iiskit in the Application log, this executable its message file (Windows; the MSI does it too)",
		Usage:    []string{"iiskit eventlog install"},
		Text:     "Run it as an administrator. Exit status: 0 done (also when already registered), 1 failed, 2 bad usage or not elevated.",
		Examples: []string{"iiskit eventlog install"},
	},
	{
		Name:     "eventlog uninstall",
		Summary:  "remove the event source iiskit from the Application log (Windows)",
		Usage:    []string{"iiskit eventlog uninstall"},
		Text:     "Run it as an administrator. Exit status: 0 done (also when not registered), 1 failed, 2 bad usage or not elevated.",
		Examples: []string{"iiskit eventlog uninstall"},
	},
}

// eventlogHelp is `iiskit eventlog -h`.
var eventlogHelp = usage.Family("eventlog", "the Windows event source iiskit's events are written under", eventlogSubs, "iiskit eventlog install")

// runEventlog runs `iiskit eventlog install|uninstall`: the help and the usage here, the
// work where the event log exists (eventlogCommand).
func runEventlog(args []string, s Streams) int {
	if len(args) == 0 {
		return usage.Status(eventlogHelp.Fail(s.Stderr, errors.New("want install or uninstall")))
	}
	if usage.IsHelp(args[0]) {
		eventlogHelp.Write(s.Stdout)
		return 0
	}
	sub := usage.Sub(eventlogSubs, args[0])
	if sub == nil {
		return usage.Status(eventlogHelp.Fail(s.Stderr, fmt.Errorf("unknown command %q (want install or uninstall)", args[0])))
	}
	switch {
	case usage.WantsHelp(args[1:]):
		sub.Write(s.Stdout)
		return 0
	case len(args) > 1:
		return usage.Status(sub.Fail(s.Stderr, fmt.Errorf("unexpected argument %q", args[1])))
	}
	return eventlogCommand(args[0], s.Stdout, s.Stderr)
}
