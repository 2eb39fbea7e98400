package cli

import (
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/iiskit/iiskit/internal/usage"
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

// versionHelp is `iiskit version -h`.
var versionHelp = &usage.Command{
	Name:     "version",
	Summary:  "print iiskit's version, the Go version it was built with and its OS and architecture",
	Usage:    []string{"iiskit version"},
	Examples: []string{"iiskit version"},
}

func runVersion(args []string, s Streams) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	if err := parseCommand(versionHelp, fs, args, s); err != nil {
		return usage.Status(err)
	}
	fmt.Fprintf(s.Stdout, "iiskit %s (%s, %s/%s)\n", version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return 0
}
