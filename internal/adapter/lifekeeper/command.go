package lifekeeper

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/iiskit/iiskit/internal/invocation"
	"github.com/iiskit/iiskit/internal/safefile"
	"github.com/iiskit/iiskit/internal/usage"
)

// Usage is the command line of `iiskit lifekeeper scripts`.
const Usage = `iiskit lifekeeper scripts --tag TAG --out DIR [--config FILE | --site NAME --type TYPE] [--exe PATH] [action flags]`

// ScriptsHelp is the help of `iiskit lifekeeper scripts`.
var ScriptsHelp = &usage.Command{
	Name:    "lifekeeper scripts",
	Summary: "write LifeKeeper's restore, remove, quickCheck, deepCheck and recover scripts for one resource",
	Usage:   []string{Usage},
	Text: "The action flags given go into every command of the scripts, paths made absolute. All\n" +
		"the files are written or none. Exit status: 0 written, 1 a write failed, 2 bad input or an\n" +
		"unusable --out folder (nothing written).",
	Flags: invocation.FlagGroups([]usage.Flag{
		{Name: "out", Arg: "DIR", Doc: "the folder to write the scripts in (required)"},
		{Name: "exe", Arg: "PATH", Doc: "the iiskit executable the scripts run (default: this one)"},
	}),
	Examples: []string{
		"iiskit lifekeeper scripts --tag iis-www1 --config /etc/iiskit/resources.toml --out ./lk-iis-www1",
		`iiskit lifekeeper scripts --tag iis-www1 --config 'C:\iiskit\resources.toml' --exe 'C:\Program Files\iiskit\iiskit.exe' --out ./lk`,
	},
}

// Help is the help of `iiskit lifekeeper`.
var Help = usage.Family("lifekeeper", "the SIOS LifeKeeper adapter: scripts that run iiskit's actions",
	[]*usage.Command{ScriptsHelp}, ScriptsHelp.Examples[0])

// Main runs `iiskit lifekeeper scripts` (args without "lifekeeper"); version is iiskit's,
// written into the scripts. It returns the exit status: 0 written, 1 could not write
// (nothing written), 2 a usage or definition error or an unusable --out folder (nothing
// written).
func Main(args []string, s invocation.Streams, version string) int {
	if len(args) == 0 {
		return usage.Status(Help.Fail(s.Stderr, errors.New("a command is required")))
	}
	if usage.IsHelp(args[0]) || args[0] == "help" {
		Help.Write(s.Stdout)
		return 0
	}
	if args[0] != "scripts" {
		return usage.Status(Help.Fail(s.Stderr, fmt.Errorf("unknown command %q", args[0])))
	}
	c, code := invocation.ParseAdapterCommand(ScriptsHelp, args[1:], []string{"out", "exe"}, s)
	if c == nil {
		return code
	}
	// A mistake on the command line ends with the pointer at the help; a definition or
	// this machine's problem is one line.
	fail := func(format string, a ...any) int {
		return usage.Status(ScriptsHelp.Fail(s.Stderr, fmt.Errorf(format, a...)))
	}
	refuse := func(format string, a ...any) int {
		fmt.Fprintf(s.Stderr, "iiskit lifekeeper scripts: "+format+"\n", a...)
		return 2
	}
	req := c.Request
	out := c.Own["out"]
	if out == "" {
		return fail("--out DIR is required")
	}
	inline := req.Value("site") != "" || req.Value("type") != ""
	if inline && req.Given("config") {
		return fail("give --config FILE or --site and --type, not both")
	}
	// The resource the scripts act on is resolved here as the actions would (a bad
	// definition is exit status 2 now, not a failing resource later), as wsfc script does:
	// a resource file that is not on this machine (a Windows path, when the scripts are
	// written elsewhere for Windows nodes) is named, not read.
	inv, err := invocation.ResolveForScript(req, s)
	if err != nil {
		var bad *invocation.Error
		if errors.As(err, &bad) && invocation.Classify(err) == invocation.Definition {
			return fail("%v", err)
		}
		return refuse("%v", err)
	}
	exe := c.Own["exe"]
	if exe == "" {
		if exe, err = os.Executable(); err != nil {
			return refuse("find this executable (give --exe): %v", err)
		}
	}
	exe = invocation.ScriptPath(exe)
	// The scripts are written here, by this process: out is a folder on this machine.
	if runtime.GOOS != "windows" && invocation.WindowsAbs(out) {
		return fail("--out %s is a Windows folder; the scripts are written on this machine (copy them to the nodes)", out)
	}
	if a, err := filepath.Abs(out); err == nil {
		out = a
	}

	// LifeKeeper runs the scripts from a folder of its own, with an environment of its own:
	// paths become absolute, and the resource file named by $IISKIT_CONFIG is named.
	dropped := []string{"tag", "config"}
	if inline {
		dropped = append(dropped, "site", "type", "ftp-user", "ftp-password-file")
	}
	o := Options{Tag: req.Value("tag"), Exe: exe, Args: c.Carried(dropped...), Version: version}
	if inline {
		// The site name goes into a resource file, never into a script (SPEC S1).
		res := inv.Resource
		o.Resource = &Resource{Tag: res.Tag, Site: res.Site, Type: req.Value("type"), FTPUser: res.FTP.User,
			FTPPasswordFile: invocation.ScriptPath(res.FTP.PasswordFile)}
	} else {
		o.Args = append([]string{"--config=" + invocation.ScriptPath(inv.Settings.Config)}, o.Args...)
	}
	// All or nothing: on any failure the folder is as it was.
	paths, err := Write(out, o)
	if err != nil {
		fmt.Fprintf(s.Stderr, "iiskit lifekeeper scripts: %v\n", err)
		if errors.Is(err, safefile.ErrUnsafeFolder) {
			return 2 // the --out folder given is unusable: nothing was written
		}
		return 1
	}
	for _, p := range paths {
		fmt.Fprintln(s.Stdout, p)
	}
	return 0
}
