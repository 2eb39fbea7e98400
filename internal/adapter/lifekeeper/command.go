package lifekeeper

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/invocation"
)

// Usage is the command line of `iiskit lifekeeper scripts`.
const Usage = `iiskit lifekeeper scripts --tag TAG --out DIR [--config FILE | --site NAME --type TYPE] [--exe PATH] [common flags]`

// Main runs `iiskit lifekeeper scripts` (args without "lifekeeper"); version is iiskit's,
// written into the scripts. It returns the exit status: 0 written, 1 could not write, 2
// a usage or definition error (nothing written).
func Main(args []string, s invocation.Streams, version string) int {
	if len(args) == 0 || args[0] != "scripts" {
		fmt.Fprintf(s.Stderr, "usage: %s\n", Usage)
		return 2
	}
	c, code := invocation.ParseAdapterCommand("lifekeeper scripts", Usage, args[1:], []string{"out", "exe"}, s)
	if c == nil {
		return code
	}
	fail := func(format string, a ...any) int {
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
	// The resource the scripts act on is resolved here as the actions would, under a
	// check's deadline: a bad definition is exit status 2 now, not a failing resource
	// later.
	ctx, cancel := context.WithTimeout(context.Background(), action.DefaultCheckTimeout)
	defer cancel()
	inv, err := invocation.Resolve(ctx, req, action.DefaultCheckTimeout, s.Getenv)
	if err != nil {
		return fail("%v", err)
	}
	exe := c.Own["exe"]
	if exe == "" {
		if exe, err = os.Executable(); err != nil {
			return fail("find this executable (give --exe): %v", err)
		}
	}
	exe = invocation.ScriptPath(exe)
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
	carried := c.Carried(dropped...)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fail("create %s: %v", out, err)
	}
	if inline {
		// The site name goes into a resource file, never into a script (SPEC S1).
		res := inv.Resource
		pw := invocation.ScriptPath(res.FTP.PasswordFile)
		path := filepath.Join(out, ResourceFileName)
		r := Resource{Tag: res.Tag, Site: res.Site, Type: req.Value("type"), FTPUser: res.FTP.User, FTPPasswordFile: pw}
		if err := WriteResource(path, r); err != nil {
			fmt.Fprintf(s.Stderr, "iiskit lifekeeper scripts: %v\n", err)
			return 1
		}
		fmt.Fprintln(s.Stdout, path)
		carried = append([]string{"--config=" + path}, carried...)
	} else {
		carried = append([]string{"--config=" + invocation.ScriptPath(inv.Settings.Config)}, carried...)
	}
	paths, err := Write(out, Options{Tag: req.Value("tag"), Exe: exe, Args: carried, Version: version})
	if err != nil {
		fmt.Fprintf(s.Stderr, "iiskit lifekeeper scripts: %v\n", err)
		return 1
	}
	for _, p := range paths {
		fmt.Fprintln(s.Stdout, p)
	}
	return 0
}
