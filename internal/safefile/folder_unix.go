//go:build !windows

package safefile

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// CheckFolderOwner accepts a folder owned by self (this process's effective user) or by
// root and writable by no one else. Group or other write is refused even with the sticky
// bit: in a shared sticky folder another user can still create a file first under a name
// iiskit will use. It is the rule of the lock folder and of the folder of generated
// scripts.
func CheckFolderOwner(owner uint32, perm os.FileMode, self uint32) error {
	if owner != self && owner != 0 {
		return fmt.Errorf("%w: owned by user %d, not by this user (%d) or root", ErrUnsafeFolder, owner, self)
	}
	if perm&0o022 != 0 {
		return fmt.Errorf("%w: writable by group or others (mode %04o)", ErrUnsafeFolder, perm)
	}
	return nil
}

// OpenFolder opens dir without following a link at its final name (O_NOFOLLOW,
// O_DIRECTORY) and checks the opened folder itself with CheckFolderOwner, so a folder
// swapped after the check is not the one used: files are then made relative to the
// returned descriptor (openat, renameat), which the caller closes.
func OpenFolder(dir string) (int, error) {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENOTDIR) {
			return -1, fmt.Errorf("folder %s: %w (a symbolic link or not a folder)", dir, ErrUnsafeFolder)
		}
		return -1, fmt.Errorf("folder %s: open: %w", dir, err)
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("folder %s: stat: %w", dir, err)
	}
	if err := CheckFolderOwner(st.Uid, os.FileMode(st.Mode&0o7777), uint32(os.Geteuid())); err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("folder %s: %w", dir, err)
	}
	return fd, nil
}

// folder is an opened, checked folder that ReplaceFiles writes in.
type folder struct {
	path string
	fd   int
}

func openFolder(dir string) (*folder, error) {
	fd, err := OpenFolder(dir)
	if err != nil {
		return nil, err
	}
	return &folder{path: dir, fd: fd}, nil
}

// writeTemp writes data to a new temporary file in the folder, created exclusively and
// without following a link (O_EXCL, O_NOFOLLOW), given mode by fchmod (the umask does not
// apply), and flushed to disk; it returns the temporary file's name.
func (f *folder) writeTemp(name string, data []byte, mode os.FileMode) (string, error) {
	tmp := tempName(name)
	fd, err := unix.Openat(f.fd, tmp, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return "", err
	}
	file := os.NewFile(uintptr(fd), tmp)
	_, err = file.Write(data)
	if err == nil {
		err = file.Chmod(mode.Perm())
	}
	if err == nil {
		err = file.Sync()
	}
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		f.remove(tmp)
		return "", err
	}
	return tmp, nil
}

// rename moves the temporary file onto name; a link at name is replaced, not followed.
func (f *folder) rename(tmp, name string) error {
	return unix.Renameat(f.fd, tmp, f.fd, name)
}

func (f *folder) remove(tmp string) { _ = unix.Unlinkat(f.fd, tmp, 0) }

func (f *folder) close() { _ = unix.Close(f.fd) }

// replaceable refuses a final name that is a folder, which a rename cannot replace:
// found before any rename, it fails the set with nothing changed.
func (f *folder) replaceable(name string) error {
	var st unix.Stat_t
	err := unix.Fstatat(f.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW)
	if err == nil && st.Mode&unix.S_IFMT == unix.S_IFDIR {
		return fmt.Errorf("%w (a folder)", ErrNotRegular)
	}
	return nil
}
