//go:build windows

package lock

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/iiskit/iiskit/internal/safefile"
)

// CheckFolder tells whether dir would be accepted as the lock folder, without creating
// or changing anything (iiskit doctor): nil for an acceptable folder, fs.ErrNotExist
// wrapped for one that does not exist yet (the first action creates it), ErrUnsafeFolder
// wrapped for a reparse point or a folder owned by someone other than SYSTEM, the
// Administrators or this user.
func CheckFolder(dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("lock folder %s: %w", dir, err)
	}
	if err := safefile.CheckFolder(dir); err != nil {
		return fmt.Errorf("lock folder %s: %w", dir, err)
	}
	return nil
}
