//go:build !windows

package lock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// openLockFile opens (creating) the lock file name inside dir without trusting dir's path
// twice: the folder is created if absent (0700), opened with O_NOFOLLOW|O_DIRECTORY,
// checked on that descriptor (checkFolder), and the lock file is created relative to the
// descriptor with O_NOFOLLOW. A link planted in place of the folder or of the lock file
// is refused, never followed, and a folder swapped after the check is not the one used.
func openLockFile(dir, name string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, fmt.Errorf("create the lock folder's parent: %w", err)
	}
	if err := unix.Mkdir(dir, 0o700); err != nil && !errors.Is(err, unix.EEXIST) {
		return nil, fmt.Errorf("create the lock folder %s: %w", dir, err)
	}
	dfd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENOTDIR) {
			return nil, fmt.Errorf("lock folder %s: %w (a symbolic link or not a folder)", dir, ErrUnsafeFolder)
		}
		return nil, fmt.Errorf("open the lock folder %s: %w", dir, err)
	}
	defer unix.Close(dfd)
	var st unix.Stat_t
	if err := unix.Fstat(dfd, &st); err != nil {
		return nil, fmt.Errorf("stat the lock folder %s: %w", dir, err)
	}
	if err := checkFolder(st.Uid, os.FileMode(st.Mode&0o7777), uint32(os.Geteuid())); err != nil {
		return nil, fmt.Errorf("lock folder %s: %w", dir, err)
	}
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

// checkFolder accepts a lock folder owned by this user or by root and writable by no one
// else. Group or other write is refused even with the sticky bit: in a shared sticky
// folder another user can still create the lock file first and hold its lock, blocking
// every action until its deadline.
func checkFolder(owner uint32, perm os.FileMode, self uint32) error {
	if owner != self && owner != 0 {
		return fmt.Errorf("%w: owned by user %d, not by this user (%d) or root", ErrUnsafeFolder, owner, self)
	}
	if perm&0o022 != 0 {
		return fmt.Errorf("%w: writable by group or others (mode %04o)", ErrUnsafeFolder, perm)
	}
	return nil
}
