//go:build !windows

package lock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"github.com/iiskit/iiskit/internal/safefile"
)

// openLockFile opens (creating) the lock file name inside dir without trusting dir's path
// twice: the folder is created if absent (0700), opened with O_NOFOLLOW|O_DIRECTORY,
// checked on that descriptor (safefile.OpenFolder, the rule it shares with the
// folder of generated scripts), and the lock file is created relative to the
// descriptor with O_NOFOLLOW. A link planted in place of the folder or of the lock file
// is refused, never followed, and a folder swapped after the check is not the one used.
func openLockFile(dir, name string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, fmt.Errorf("create the lock folder's parent: %w", err)
	}
	if err := unix.Mkdir(dir, 0o700); err != nil && !errors.Is(err, unix.EEXIST) {
		return nil, fmt.Errorf("create the lock folder %s: %w", dir, err)
	}
	dfd, err := safefile.OpenFolder(dir)
	if err != nil {
		return nil, fmt.Errorf("lock %w", err)
	}
	defer unix.Close(dfd)
	fd, err := unix.Openat(dfd, name, unix.O_RDWR|unix.O_CREAT|unix.O_NOFOLLOW|unix.O_CLOEXEC|unix.O_NONBLOCK, 0o600)
	if err != nil {
		if errors.Is(err, unix.ELOOP) {
			return nil, fmt.Errorf("lock file %s: %w (a symbolic link)", filepath.Join(dir, name), ErrUnsafeFolder)
		}
		return nil, fmt.Errorf("open the lock file %s: %w", filepath.Join(dir, name), err)
	}
	f := os.NewFile(uintptr(fd), filepath.Join(dir, name))
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("lock file %s: %w (not a regular file)", filepath.Join(dir, name), ErrUnsafeFolder)
	}
	return f, nil
}
