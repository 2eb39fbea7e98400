//go:build !windows

package lock

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// CheckFolder tells whether dir would be accepted as the lock folder, without creating
// or changing anything (iiskit doctor): nil for an acceptable folder, fs.ErrNotExist
// wrapped for one that does not exist yet (the first action creates it), ErrUnsafeFolder
// wrapped for a link or a folder with the wrong owner or permissions.
func CheckFolder(dir string) error {
	fi, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("lock folder %s: %w", dir, err)
	}
	if err != nil {
		return fmt.Errorf("lock folder %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("lock folder %s: %w (a symbolic link or not a folder)", dir, ErrUnsafeFolder)
	}
	var st unix.Stat_t
	if err := unix.Lstat(dir, &st); err != nil {
		return fmt.Errorf("lock folder %s: %w", dir, err)
	}
	if err := checkFolder(st.Uid, fi.Mode().Perm(), uint32(os.Geteuid())); err != nil {
		return fmt.Errorf("lock folder %s: %w", dir, err)
	}
	return nil
}
