//go:build windows

package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"

	"github.com/iiskit/iiskit/internal/event/eventlog"
)

// eventlogCommand runs `iiskit eventlog install|uninstall` (verb, checked by
// runEventlog): it registers (or removes) the source "iiskit" with the running exe as its
// message file. Both are idempotent. Exit 0 done, 1 failed, 2 not an administrator
// (nothing changed).
func eventlogCommand(verb string, stdout, stderr io.Writer) int {
	args := []string{verb}
	if !windows.GetCurrentProcessToken().IsElevated() {
		fmt.Fprintf(stderr, "iiskit eventlog %s: not running elevated: run it as an administrator (nothing was changed)\n", args[0])
		return 2
	}
	if args[0] == "uninstall" {
		if err := eventlog.Uninstall(); err != nil {
			fmt.Fprintln(stderr, "iiskit eventlog uninstall:", err)
			return 1
		}
		fmt.Fprintf(stdout, "event source %q removed from the Application log\n", eventlog.Source)
		return 0
	}
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.Abs(exe)
	}
	if err != nil {
		fmt.Fprintln(stderr, "iiskit eventlog install: find iiskit.exe:", err)
		return 1
	}
	if err := eventlog.Install(exe); err != nil {
		if errors.Is(err, windows.ERROR_ACCESS_DENIED) {
			fmt.Fprintln(stderr, "iiskit eventlog install: access denied: run it as an administrator:", err)
			return 2
		}
		fmt.Fprintln(stderr, "iiskit eventlog install:", err)
		return 1
	}
	fmt.Fprintf(stdout, "event source %q registered in the Application log with message file %s\n", eventlog.Source, exe)
	return 0
}
