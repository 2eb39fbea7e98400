package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/iiskit/iiskit/internal/adapter/lifekeeper"
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
	if err := resolveForScript(f, s); err != nil {
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
	// The scripts are written here, by this process: out is a path on this machine.
	if a, err := filepath.Abs(out); err == nil {
		out = a
	}

	// LifeKeeper runs the scripts from a folder of its own, with an environment of its own:
	// paths become absolute, and the resource file named by $IISKIT_CONFIG is named.
	dropped := []string{"tag", "config"}
	if inline {
		dropped = append(dropped, "site", "type", "ftp-user", "ftp-password-file")
	}
	carried := c.carried(dropped...)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fail("create %s: %v", out, err)
	}
	if inline {
		// The site name goes into a resource file, never into a script (SPEC S1).
		pw := scriptPath(f.ftpPasswordFile)
		path := filepath.Join(out, lifekeeper.ResourceFileName)
		r := lifekeeper.Resource{Tag: f.tag, Site: f.site, Type: f.typ, FTPUser: f.ftpUser, FTPPasswordFile: pw}
		if err := lifekeeper.WriteResource(path, r); err != nil {
			fmt.Fprintf(s.Stderr, "iiskit lifekeeper scripts: %v\n", err)
			return 1
		}
		fmt.Fprintln(s.Stdout, path)
		carried = append([]string{"--config=" + path}, carried...)
	} else {
		carried = append([]string{"--config=" + scriptPath(f.configFile)}, carried...)
	}
	paths, err := lifekeeper.Write(out, lifekeeper.Options{Tag: f.tag, Exe: exe, Args: carried, Version: version()})
	if err != nil {
		fmt.Fprintf(s.Stderr, "iiskit lifekeeper scripts: %v\n", err)
		return 1
	}
	for _, p := range paths {
		fmt.Fprintln(s.Stdout, p)
	}
	return 0
}
