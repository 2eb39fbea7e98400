//go:build !windows

package lock

import (
	"os"
	"path/filepath"
)

// defaultDir is iiskit-locks in the system's temporary folder, which on Unix is the same
// for every account.
func defaultDir(func(string) string) string {
	return filepath.Join(os.TempDir(), "iiskit-locks")
}
