package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is the version `iiskit version` reports. scripts/package.sh sets it at link time
// (-ldflags "-X github.com/iiskit/iiskit/internal/cli.Version=1.2.3") to the value the
// MSI carries; without it the module version or "dev" is shown.
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func runVersion(args []string, s Streams) int {
	if len(args) > 0 {
		fmt.Fprintf(s.Stderr, "iiskit version: unexpected argument %q\n", args[0])
		return 2
	}
	fmt.Fprintf(s.Stdout, "iiskit %s (%s, %s/%s)\n", version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return 0
}
