// Package safefile opens the files an administrator names on the command line or in a
// resource file (the resource file, the FTP password file, the events file) so that
// naming a FIFO, a device or a folder can neither block iiskit nor feed it endless data:
// only regular files are opened, and reads are bounded.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrNotRegular is a path that names something other than a regular file: a FIFO, a
// device, a socket or a folder.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is a file longer than the reader's bound.
var ErrTooLarge = errors.New("file too large")

// Open opens path for reading. It refuses anything but a regular file without blocking
// on it (see openRegular).
func Open(path string) (*os.File, error) {
	return openRegular(path, os.O_RDONLY, 0)
}

// OpenAppend opens path for appending, creating it with perm when absent, and refuses
// anything but a regular file without blocking on it.
func OpenAppend(path string, perm os.FileMode) (*os.File, error) {
	return openRegular(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, perm)
}

// ReadFile reads the regular file at path, failing with ErrTooLarge when it holds more
// than limit bytes: memory is bounded by limit whatever the file is.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: %w (more than %d bytes)", path, ErrTooLarge, limit)
	}
	return b, nil
}

// checkRegular refuses an opened file that is not a regular file; it closes f then.
func checkRegular(f *os.File, path string) (*os.File, error) {
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("stat %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s: %w (%s)", path, ErrNotRegular, kind(fi.Mode()))
	}
	return f, nil
}

// kind names a non-regular file's type for the message.
func kind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0, m&os.ModeCharDevice != 0:
		return "a device"
	case m&os.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "not a regular file"
}
