//go:build !windows

package lock

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"

	"github.com/iiskit/iiskit/internal/safefile"
)

// CheckFolder tells whether dir would be accepted as the lock folder, without creating
// or changing anything (iiskit doctor): nil for an acceptable folder, fs.ErrNotExist
// wrapped for one that does not exist yet (the first action creates it), ErrUnsafeFolder
// wrapped for a link or a folder with the wrong owner or permissions.
func CheckFolder(dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("lock folder %s: %w", dir, err)
	}
	fd, err := safefile.OpenFolder(dir)
	if err != nil {
		return fmt.Errorf("lock %w", err)
	}
	unix.Close(fd)
	return nil
}
