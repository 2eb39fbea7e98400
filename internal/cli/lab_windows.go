package cli

import (
	"context"
	"fmt"
)

// The Windows executable runs as an administrator on a production node: it carries no
// emulator (the lab host's HTTP, FTP and SMTP servers), so `lab` and `demo`, which run
// one, are not in it. --platform lab still reaches a lab host running elsewhere.
const noLabOnWindows = "not available on Windows: the lab host is an emulator for trying and testing iiskit on Linux or macOS; on Windows iiskit manages the real services and IIS (--platform lab --lab URL still checks a lab host running elsewhere)"

// runLab answers `iiskit lab ...` on Windows: bad usage, exit 2.
func runLab(_ context.Context, _ []string, s Streams) int {
	fmt.Fprintln(s.Stderr, "iiskit lab: "+noLabOnWindows)
	return 2
}

// runDemo answers `iiskit demo` on Windows: bad usage, exit 2.
func runDemo(_ context.Context, _ []string, s Streams) int {
	fmt.Fprintln(s.Stderr, "iiskit demo: "+noLabOnWindows)
	return 2
}
