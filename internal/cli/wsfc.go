package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/iiskit/iiskit/internal/adapter/wsfc"
)

const wsfcUsage = `iiskit wsfc script --tag TAG [--config FILE | --site NAME --type TYPE] [--exe PATH] [common flags]`

// runWSFC runs `iiskit wsfc script|runcheck`.
func runWSFC(args []string, s Streams) int {
	if len(args) == 0 {
		fmt.Fprintf(s.Stderr, "usage: %s\n", wsfcUsage)
		return 2
	}
	switch args[0] {
	case "script":
		return runWSFCScript(args[1:], s)
	case "runcheck":
		return runWSFCRunCheck(args[1:], s)
	}
	fmt.Fprintf(s.Stderr, "iiskit wsfc: unknown command %q\nusage: %s\n", args[0], wsfcUsage)
	return 2
}

// runWSFCScript prints the Generic Script for one resource. Every action flag given is
// carried into the script's commands; the resource is checked here when it can be (an
// inline one, or a resource file present on this machine), so a bad definition is an
// exit status 2 now rather than a failing resource later.
func runWSFCScript(args []string, s Streams) int {
	c, code := parseAdapterCommand("wsfc script", wsfcUsage, args, []string{"exe"}, s)
	if c == nil {
		return code
	}
	f := c.action
	if err := checkResourceHere(f, s); err != nil {
		fmt.Fprintf(s.Stderr, "iiskit wsfc script: %v\n", err)
		return 2
	}
	// The cluster runs the script from system32: paths become absolute (scriptPath).
	carried := c.carried("timeout")
	if f.configFile != "" && !f.set["config"] {
		// Taken from $IISKIT_CONFIG here; the cluster's environment may not have it.
		carried = append(carried, "--config="+scriptPath(f.configFile))
	}
	exe := c.own["exe"]
	if exe != "" {
		exe = scriptPath(exe)
	}
	o := wsfc.Options{Tag: f.tag, Exe: exe, Args: carried, Version: version()}
	if f.set["timeout"] {
		o.Timeout = f.timeout
	}
	if err := wsfc.Write(s.Stdout, o); err != nil {
		fmt.Fprintf(s.Stderr, "iiskit wsfc script: %v\n", err)
		return 2
	}
	return 0
}

// checkResourceHere resolves the resource as the actions would, unless it lives in a
// resource file that is not on this machine (the script may be written away from the
// cluster nodes): then it says so and checks nothing more. An FTP password file that is
// not on this machine is named, not read, the same way: the script reads it there.
func checkResourceHere(f *actionFlags, s Streams) error {
	notHere := func(p string) bool {
		_, err := os.Stat(p)
		return errors.Is(err, fs.ErrNotExist)
	}
	if f.site == "" && f.typ == "" && f.configFile != "" && notHere(f.configFile) {
		fmt.Fprintf(s.Stderr, "iiskit: note: %s is not on this machine; tag %q is looked up there when the script runs\n", f.configFile, f.tag)
		return nil
	}
	if f.ftpPasswordFile != "" && notHere(f.ftpPasswordFile) {
		fmt.Fprintf(s.Stderr, "iiskit: note: %s is not on this machine; the FTP password is read there when the script runs\n", f.ftpPasswordFile)
		here := *f
		here.ftpPasswordFile = ""
		f = &here
	}
	return resolveForScript(f, s)
}

// runWSFCRunCheck answers the Generic Script's one question about its host: does
// WScript.Shell's Run expand environment variables in a command line (Windows documents
// that it does; Wine's does not)? The script runs `iiskit wsfc runcheck %SystemRoot%`
// once and reads the exit status.
func runWSFCRunCheck(args []string, s Streams) int {
	if len(args) != 1 {
		fmt.Fprintln(s.Stderr, "usage: iiskit wsfc runcheck %SystemRoot%   (used by the Generic Script)")
		return 2
	}
	if args[0] == "%SystemRoot%" {
		return wsfc.RunCheckLiteral
	}
	return wsfc.RunCheckExpanded
}
