package wsfc

import (
	"fmt"

	"github.com/iiskit/iiskit/internal/invocation"
)

// Usage is the command line of `iiskit wsfc script`.
const Usage = `iiskit wsfc script --tag TAG [--config FILE | --site NAME --type TYPE] [--exe PATH] [common flags]`

// Main runs `iiskit wsfc script|runcheck` (args without "wsfc"); version is iiskit's,
// written into the script.
func Main(args []string, s invocation.Streams, version string) int {
	if len(args) == 0 {
		fmt.Fprintf(s.Stderr, "usage: %s\n", Usage)
		return 2
	}
	switch args[0] {
	case "script":
		return runScript(args[1:], s, version)
	case "runcheck":
		return runCheck(args[1:], s)
	}
	fmt.Fprintf(s.Stderr, "iiskit wsfc: unknown command %q\nusage: %s\n", args[0], Usage)
	return 2
}

// runScript prints the Generic Script for one resource. Every action flag given is
// carried into the script's commands; the resource is checked here when it can be (an
// inline one, or a resource file present on this machine), so a bad definition is an
// exit status 2 now rather than a failing resource later.
func runScript(args []string, s invocation.Streams, version string) int {
	c, code := invocation.ParseAdapterCommand("wsfc script", Usage, args, []string{"exe"}, s)
	if c == nil {
		return code
	}
	req := c.Request
	inv, err := invocation.ResolveForScript(req, s)
	if err != nil {
		fmt.Fprintf(s.Stderr, "iiskit wsfc script: %v\n", err)
		return 2
	}
	set := inv.Settings
	// The cluster runs the script from system32: paths become absolute (ScriptPath).
	carried := c.Carried("timeout")
	if set.Config != "" && !req.Given("config") {
		// Taken from $IISKIT_CONFIG here; the cluster's environment may not have it.
		carried = append(carried, "--config="+invocation.ScriptPath(set.Config))
	}
	exe := c.Own["exe"]
	if exe != "" {
		exe = invocation.ScriptPath(exe)
	}
	o := Options{Tag: req.Value("tag"), Exe: exe, Args: carried, Version: version}
	if req.Given("timeout") {
		o.Timeout = set.Timeout
	}
	if err := Write(s.Stdout, o); err != nil {
		fmt.Fprintf(s.Stderr, "iiskit wsfc script: %v\n", err)
		return 2
	}
	return 0
}

// runCheck answers the Generic Script's one question about its host: does
// WScript.Shell's Run expand environment variables in a command line (Windows documents
// that it does; Wine's does not)? The script runs `iiskit wsfc runcheck %SystemRoot%`
// once and reads the exit status.
func runCheck(args []string, s invocation.Streams) int {
	if len(args) != 1 {
		fmt.Fprintln(s.Stderr, "usage: iiskit wsfc runcheck %SystemRoot%   (used by the Generic Script)")
		return 2
	}
	if args[0] == "%SystemRoot%" {
		return RunCheckLiteral
	}
	return RunCheckExpanded
}
