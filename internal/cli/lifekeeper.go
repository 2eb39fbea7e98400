package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/iiskit/iiskit/internal/adapter/lifekeeper"
	"github.com/iiskit/iiskit/internal/safefile"
)

const lifekeeperUsage = `iiskit lifekeeper scripts --tag TAG --out DIR [--config FILE | --site NAME --type TYPE] [--exe PATH] [common flags]`

// runLifeKeeper runs `iiskit lifekeeper scripts`.
func runLifeKeeper(args []string, s Streams) int {
	if len(args) == 0 || args[0] != "scripts" {
		fmt.Fprintf(s.Stderr, "usage: %s\n", lifekeeperUsage)
		return 2
	}
	c, code := parseAdapterCommand("lifekeeper scripts", lifekeeperUsage, args[1:], []string{"out", "exe"}, s)
	if c == nil {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(s.Stderr, "iiskit lifekeeper scripts: "+format+"\n", a...)
		return 2
	}
	f := c.action
	out := c.own["out"]
	if out == "" {
		return fail("--out DIR is required")
	}
	inline := f.site != "" || f.typ != ""
	if inline && f.set["config"] {
		return fail("give --config FILE or --site and --type, not both")
	}
	// As wsfc script: a resource file that is not on this machine (a Windows path, say,
	// when the scripts are written elsewhere for Windows nodes) is named, not read.
	if err := checkResourceHere(f, s); err != nil {
		return fail("%v", err)
	}
	exe := c.own["exe"]
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return fail("find this executable (give --exe): %v", err)
		}
	}
	exe = scriptPath(exe)
	// The scripts are written here, by this process: out is a folder on this machine.
	if runtime.GOOS != "windows" && windowsAbs(out) {
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
	o := lifekeeper.Options{Tag: f.tag, Exe: exe, Args: c.carried(dropped...), Version: version()}
	if inline {
		// The site name goes into a resource file, never into a script (SPEC S1).
		o.Resource = &lifekeeper.Resource{Tag: f.tag, Site: f.site, Type: f.typ, FTPUser: f.ftpUser, FTPPasswordFile: scriptPath(f.ftpPasswordFile)}
	} else {
		o.Args = append([]string{"--config=" + scriptPath(f.configFile)}, o.Args...)
	}
	// All or nothing: on any failure the folder is as it was.
	paths, err := lifekeeper.Write(out, o)
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
