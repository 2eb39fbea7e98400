//go:build windows

package safefile

import (
	"fmt"
	"os"

	"golang.org/x/sys/windows"
)

// openRegular opens the file and then checks the handle itself: GetFileType must say
// FILE_TYPE_DISK (not a pipe, a console or another character device) and the file must
// not be a folder. Opening a named pipe's client end does not wait on Windows (a busy
// pipe fails with ERROR_PIPE_BUSY), so no non-blocking flag is needed for the open.
func openRegular(path string, flag int, perm os.FileMode) (*os.File, error) {
	f, err := os.OpenFile(path, flag, perm)
	if err != nil {
		return nil, err
	}
	t, err := windows.GetFileType(windows.Handle(f.Fd()))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("file type of %s: %w", path, err)
	}
	if t != windows.FILE_TYPE_DISK {
		f.Close()
		return nil, fmt.Errorf("%s: %w (a pipe, console or device)", path, ErrNotRegular)
	}
	return checkRegular(f, path)
}
