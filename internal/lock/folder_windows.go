//go:build windows

package lock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/iiskit/iiskit/internal/safefile"
)

// folderSDDL protects a lock folder iiskit creates: full control for SYSTEM, the
// Administrators and the creator (OW, the owner), inherited by the lock files, and
// nothing for other users; "P" stops %ProgramData%'s "Users may create" entries from
// being inherited.
const folderSDDL = "D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;OW)"

// openLockFile opens (creating) the lock file name inside dir. On Windows it checks what
// x/sys/windows lets it check: the folder is created with folderSDDL if absent; an
// existing folder must not be a reparse point (a symbolic link or junction) and must be
// owned by SYSTEM, the Administrators or this user; the lock file is opened with
// FILE_FLAG_OPEN_REPARSE_POINT and refused if it is a reparse point, so a planted link is
// never followed. The folder's ACL is not audited entry by entry.
func openLockFile(dir, name string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, fmt.Errorf("create the lock folder's parent: %w", err)
	}
	if err := createFolder(dir); err != nil {
		return nil, err
	}
	if err := safefile.CheckFolder(dir); err != nil {
		return nil, fmt.Errorf("lock folder %s: %w", dir, err)
	}
	path := filepath.Join(dir, name)
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ|windows.GENERIC_WRITE,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE, nil,
		windows.OPEN_ALWAYS, windows.FILE_ATTRIBUTE_NORMAL|windows.FILE_FLAG_OPEN_REPARSE_POINT, 0)
	if err != nil {
		return nil, fmt.Errorf("open the lock file %s: %w", path, err)
	}
	var info windows.ByHandleFileInformation
	if err := windows.GetFileInformationByHandle(h, &info); err != nil {
		windows.CloseHandle(h)
		return nil, fmt.Errorf("lock file %s: %w", path, err)
	}
	if info.FileAttributes&(windows.FILE_ATTRIBUTE_REPARSE_POINT|windows.FILE_ATTRIBUTE_DIRECTORY) != 0 {
		windows.CloseHandle(h)
		return nil, fmt.Errorf("lock file %s: %w (a reparse point or a folder)", path, ErrUnsafeFolder)
	}
	return os.NewFile(uintptr(h), path), nil
}

func createFolder(dir string) error {
	sd, err := windows.SecurityDescriptorFromString(folderSDDL)
	if err != nil {
		return fmt.Errorf("lock folder security descriptor: %w", err)
	}
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return err
	}
	sa := &windows.SecurityAttributes{SecurityDescriptor: sd}
	sa.Length = uint32(unsafe.Sizeof(*sa))
	if err := windows.CreateDirectory(p, sa); err != nil && !errors.Is(err, windows.ERROR_ALREADY_EXISTS) {
		return fmt.Errorf("create the lock folder %s: %w", dir, err)
	}
	return nil
}
