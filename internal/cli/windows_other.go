//go:build !windows

package cli

import (
	"fmt"
	"io"
)

// eventlogCommand runs `iiskit eventlog install|uninstall`, which exist only on Windows.
func eventlogCommand(_ string, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "iiskit eventlog: the Windows event log exists only on Windows")
	return 2
}
