//go:build windows || iiskit_nolab

package cli

import (
	"context"
	"fmt"
	"runtime"
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

// runLab answers `iiskit lab ...` where the executable has no lab host: bad usage, exit 2.
func runLab(_ context.Context, _ []string, s Streams) int {
	fmt.Fprintln(s.Stderr, "iiskit lab: "+noLab())
	return 2
}

// runDemo answers `iiskit demo` where the executable has no lab host: bad usage, exit 2.
func runDemo(_ context.Context, _ []string, s Streams) int {
	fmt.Fprintln(s.Stderr, "iiskit demo: "+noLab())
	return 2
}
