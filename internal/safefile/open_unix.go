//go:build !windows

package safefile

import (
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
	f, err := os.OpenFile(path, flag|syscall.O_NONBLOCK|syscall.O_CLOEXEC|syscall.O_NOCTTY, perm)
	if err != nil {
		return nil, err
	}
	return checkRegular(f, path)
}
