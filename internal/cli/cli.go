// Package cli is iiskit's command line (CLI.md): a dispatcher to the command families,
// which live beside their packages (the actions in package invocation, the OCF agent and
// the script generators with their adapters). It decides nothing the SPEC decides.
package cli

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/iiskit/iiskit/internal/adapter/lifekeeper"
	"github.com/iiskit/iiskit/internal/adapter/nagios"
	"github.com/iiskit/iiskit/internal/adapter/ocf"
	"github.com/iiskit/iiskit/internal/adapter/wsfc"
	"github.com/iiskit/iiskit/internal/doctor"
	"github.com/iiskit/iiskit/internal/invocation"
)

// Streams are a command's environment: its variables and output streams.
type Streams = invocation.Streams

const usage = `iiskit: an IIS recovery kit for cluster managers

Usage:
  iiskit quickcheck|deepcheck|restore|remove|recover --tag TAG [resource flags] [common flags]
  iiskit pollsite [flags] TYPE IP PORT
  iiskit messages [--json]
  iiskit version
  iiskit demo                              (not on Windows)
  iiskit lab serve [--listen ADDR] [--config applicationHost.config] [--hostname NAME]
  iiskit lab status|service|site|pool ...  (not on Windows)
  iiskit nagios --tag TAG [--deep] [resource flags] [common flags]
  iiskit eventlog install|uninstall        (Windows)
  iiskit lifekeeper scripts --tag TAG --out DIR [--config FILE] [--exe PATH] [common flags]
  iiskit wsfc script --tag TAG [--config FILE] [--exe PATH] [common flags]
  iiskit ocf start|stop|monitor|validate-all|meta-data|usage|install [--dir D]
  iiskit watch --config FILE [--listen 127.0.0.1:9780] [--platform ...] [--lab URL] [--json] [--events FILE]
  iiskit watch install|uninstall --config FILE   (Windows service)

Run "iiskit COMMAND -h" for a command's flags.
Exit status of the actions: 0 success, 1 failure, 2 usage or definition error.
`

// Main runs the command line args (without the program name) and returns the exit status.
// A panic, which would be a bug, becomes a message and exit status 1 rather than a crash
// whose exit status a cluster manager could misread.
func Main(ctx context.Context, args []string, s Streams) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(s.Stderr, "iiskit: internal error (please report): %v\n%s", p, debug.Stack())
			code = 1
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(s.Stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch strings.TrimLeft(cmd, "-") {
	case "quickcheck", "deepcheck", "restore", "remove", "recover":
		return invocation.Main(ctx, cmd, rest, s)
	case "pollsite":
		return runPollSite(ctx, rest, s)
	case "messages":
		return runMessages(rest, s)
	case "version":
		return runVersion(rest, s)
	case "demo":
		return runDemo(ctx, rest, s)
	case "ocf":
		return ocf.Main(ctx, rest, s, version())
	case "lab":
		return runLab(ctx, rest, s)
	case "eventlog":
		return eventlogCommand(rest, s.Stdout, s.Stderr)
	case "lifekeeper":
		return lifekeeper.Main(rest, s, version())
	case "wsfc":
		return wsfc.Main(rest, s, version())
	case "nagios":
		return nagios.Main(ctx, rest, s)
	case "watch":
		return runWatch(ctx, rest, s)
	case "doctor":
		return doctor.Main(ctx, rest, doctor.Streams{Getenv: s.Getenv, Stdout: s.Stdout, Stderr: s.Stderr}, doctor.Defaults{Platform: invocation.DefaultPlatform, LabURL: invocation.DefaultLabURL})
	case "help", "h":
		fmt.Fprint(s.Stdout, usage)
		return 0
	}
	fmt.Fprintf(s.Stderr, "iiskit: unknown command %q\n\n%s", cmd, usage)
	return 2
}
