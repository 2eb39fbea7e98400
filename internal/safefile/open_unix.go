//go:build !windows

package safefile

import (
	"fmt"
	"os"
	"syscall"
)

// openRegular opens with O_NONBLOCK, then checks the opened file itself (fstat), so
// there is no window between a check and the open. O_NONBLOCK is what keeps the open of a
// FIFO without a writer (or, for writing, without a reader) from blocking forever; on a
// regular file it changes nothing, since regular files never block in the sense it
// controls. A device's open may have side effects (a tape rewinds): naming one is an
// administrator's error that iiskit reports, not one it can prevent.
func openRegular(path string, flag int, perm os.FileMode) (*os.File, error) {
	// A stat first only words the common refusal well (a FIFO without a reader fails the
	// open for writing with ENXIO, "no such device or address"); the check that counts is
	// the fstat of what was opened.
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w (%s)", path, ErrNotRegular, kind(fi.Mode()))
	}
	f, err := os.OpenFile(path, flag|syscall.O_NONBLOCK|syscall.O_CLOEXEC|syscall.O_NOCTTY, perm)
	if err != nil {
		return nil, err
	}
	return checkRegular(f, path)
}
