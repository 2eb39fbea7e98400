package wsfc

import (
	"errors"
	"fmt"
	"strings"

	"github.com/iiskit/iiskit/internal/invocation"
	"github.com/iiskit/iiskit/internal/usage"
)

// Usage is the command line of `iiskit wsfc script`.
const Usage = `iiskit wsfc script --tag TAG [--config FILE | --site NAME --type TYPE] [--exe PATH] [action flags]`

// ScriptHelp is the help of `iiskit wsfc script`.
var ScriptHelp = &usage.Command{
	Name:    "wsfc script",
	Summary: "print the Failover Clustering Generic Script (VBScript) that runs iiskit's actions for one resource",
	Usage:   []string{Usage + " > TAG.vbs"},
	Text: "Online runs restore, LooksAlive quickcheck, IsAlive deepcheck, Offline and Terminate\n" +
		"remove. The action flags given go into every command, paths made absolute. Exit status:\n" +
		"0 written, 2 bad input.",
	Flags: invocation.FlagGroups([]usage.Flag{
		{Name: "exe", Arg: "PATH", Doc: "the iiskit.exe the script runs (default: iiskit.exe on the PATH)"},
	}),
	Examples: []string{
		`iiskit wsfc script --tag iis-www1 --config 'C:\iiskit\resources.toml' > iis-www1.vbs`,
	},
}

// RunCheckHelp is the help of `iiskit wsfc runcheck`, which the Generic Script runs.
var RunCheckHelp = &usage.Command{
	Name:    "wsfc runcheck",
	Summary: "tell the Generic Script whether WScript.Shell's Run expands %SystemRoot% (run by the script)",
	Usage:   []string{"iiskit wsfc runcheck %SystemRoot%"},
	Text: fmt.Sprintf("Exit status: %d the argument arrived as written (Run does not expand), %d it arrived\n"+
		"expanded, 2 bad usage.", RunCheckLiteral, RunCheckExpanded),
	Examples: []string{"iiskit wsfc runcheck %SystemRoot%"},
}

// Help is the help of `iiskit wsfc`.
var Help = usage.Family("wsfc", "the Windows Server Failover Clustering adapter: the Generic Script",
	[]*usage.Command{ScriptHelp, RunCheckHelp}, ScriptHelp.Examples[0])

// Main runs `iiskit wsfc script|runcheck` (args without "wsfc"); version is iiskit's,
// written into the script.
func Main(args []string, s invocation.Streams, version string) int {
	if len(args) == 0 {
		return usage.Status(Help.Fail(s.Stderr, errors.New("a command is required")))
	}
	switch args[0] {
	case "script":
		return runScript(args[1:], s, version)
	case "runcheck":
		return runCheck(args[1:], s)
	case "-h", "--h", "-help", "--help", "help":
		Help.Write(s.Stdout)
		return 0
	}
	return usage.Status(Help.Fail(s.Stderr, fmt.Errorf("unknown command %q", args[0])))
}

// runScript prints the Generic Script for one resource. Every action flag given is
// carried into the script's commands; the resource is checked here when it can be (an
// inline one, or a resource file present on this machine), so a bad definition is an
// exit status 2 now rather than a failing resource later.
func runScript(args []string, s invocation.Streams, version string) int {
	c, code := invocation.ParseAdapterCommand(ScriptHelp, args, []string{"exe"}, s)
	if c == nil {
		return code
	}
	req := c.Request
	inv, err := invocation.ResolveForScript(req, s)
	if err != nil {
		var bad *invocation.Error
		if errors.As(err, &bad) && invocation.Classify(err) == invocation.Definition {
			return usage.Status(ScriptHelp.Fail(s.Stderr, err)) // a flag's value: see -h
		}
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
	if len(args) == 1 && usage.IsHelp(args[0]) {
		RunCheckHelp.Write(s.Stdout)
		return 0
	}
	// The argument is %SystemRoot%, expanded or not: never a flag.
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return usage.Status(RunCheckHelp.Fail(s.Stderr, fmt.Errorf("want one argument, %%SystemRoot%%; got %q", args)))
	}
	if args[0] == "%SystemRoot%" {
		return RunCheckLiteral
	}
	return RunCheckExpanded
}
