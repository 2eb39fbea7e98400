//go:build windows || iiskit_nolab

package cli

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	"github.com/iiskit/iiskit/internal/usage"
)

// The Windows executable runs as an administrator on a production node: it carries no
// emulator (the lab host's HTTP, FTP and SMTP servers), so `lab` and `demo`, which run
// one, are not in it. --platform lab still reaches a lab host running elsewhere. The
// build tag iiskit_nolab builds the same on other systems, for measuring what the Windows
// executable links where it cannot run (bench/startup.sh).
func noLab() string {
	if runtime.GOOS == "windows" {
		return "not available on Windows: the lab host is an emulator for trying and testing iiskit on Linux or macOS; on Windows iiskit manages the real services and IIS (--platform lab --lab URL still checks a lab host running elsewhere)"
	}
	return "not in this build (built with the tag iiskit_nolab, as the Windows executable is: no lab host)"
}

// labHelp is `iiskit lab -h` where the executable has no lab host.
func labHelp() *usage.Command {
	return &usage.Command{
		Name:    "lab",
		Summary: "the lab host, an emulator for trying and testing iiskit: " + noLab(),
		Usage:   []string{"iiskit lab serve|status|service|site|pool|listings ...   (not in this executable)"},
		Examples: []string{"iiskit quickcheck --platform lab --lab http://192.0.2.7:7780 --tag iis-www1 " +
			`--site "Default Web Site" --type W3   # a lab host running elsewhere`},
	}
}

// labVerbs are none where the executable has no lab host.
func labVerbs() []string { return nil }

// runLab answers `iiskit lab ...` where the executable has no lab host: bad usage, exit 2.
func runLab(_ context.Context, args []string, s Streams) int {
	if usage.WantsHelp(args) {
		labHelp().Write(s.Stdout)
		return 0
	}
	err := errors.New(noLab())
	if len(args) > 0 {
		err = fmt.Errorf("%q: %w", args[0], err)
	}
	return usage.Status(labHelp().Fail(s.Stderr, err))
}

// runDemo answers `iiskit demo` where the executable has no lab host: bad usage, exit 2.
func runDemo(_ context.Context, args []string, s Streams) int {
	if code, done := demoArgs(args, s); done {
		return code
	}
	fmt.Fprintln(s.Stderr, "iiskit demo: "+noLab())
	return 2
}
