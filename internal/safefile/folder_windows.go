//go:build windows

package safefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
)

// CheckFolder accepts a folder that is not a reparse point (a symbolic link or junction)
// and is owned by SYSTEM, the Administrators or this user. It is the rule of the lock
// folder and of the folder of generated scripts, as far as x/sys/windows lets it be
// checked: the folder's ACL is not audited entry by entry.
func CheckFolder(dir string) error {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return err
	}
	attrs, err := windows.GetFileAttributes(p)
	if err != nil {
		return err
	}
	if attrs&windows.FILE_ATTRIBUTE_REPARSE_POINT != 0 || attrs&windows.FILE_ATTRIBUTE_DIRECTORY == 0 {
		return fmt.Errorf("%w: a reparse point (link, junction) or not a folder", ErrUnsafeFolder)
	}
	sd, err := windows.GetNamedSecurityInfo(dir, windows.SE_FILE_OBJECT, windows.OWNER_SECURITY_INFORMATION)
	if err != nil {
		return fmt.Errorf("read the owner: %w", err)
	}
	owner, _, err := sd.Owner()
	if err != nil {
		return fmt.Errorf("read the owner: %w", err)
	}
	if owner.IsWellKnown(windows.WinLocalSystemSid) || owner.IsWellKnown(windows.WinBuiltinAdministratorsSid) {
		return nil
	}
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err == nil && windows.EqualSid(owner, user.User.Sid) {
		return nil
	}
	return fmt.Errorf("%w: owned by %s, not by SYSTEM, the Administrators or this user", ErrUnsafeFolder, owner)
}

// folder is a checked folder that ReplaceFiles writes in.
type folder struct{ path string }

func openFolder(dir string) (*folder, error) {
	if err := CheckFolder(dir); err != nil {
		return nil, fmt.Errorf("folder %s: %w", dir, err)
	}
	return &folder{path: dir}, nil
}

// writeTemp writes data to a new temporary file in the folder: O_EXCL is CREATE_NEW,
// which fails on anything at the name, a link included, rather than follow it.
func (f *folder) writeTemp(name string, data []byte, mode os.FileMode) (string, error) {
	tmp := tempName(name)
	file, err := os.OpenFile(filepath.Join(f.path, tmp), os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode.Perm())
	if err != nil {
		return "", err
	}
	_, err = file.Write(data)
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

// rename moves the temporary file onto name (MoveFileEx, replacing): a link at name is
// replaced, not followed.
func (f *folder) rename(tmp, name string) error {
	return os.Rename(filepath.Join(f.path, tmp), filepath.Join(f.path, name))
}

// replaceable refuses a final name that is a folder, which a rename cannot replace.
func (f *folder) replaceable(name string) error {
	fi, err := os.Lstat(filepath.Join(f.path, name))
	if err == nil && fi.IsDir() {
		return fmt.Errorf("%w (a folder)", ErrNotRegular)
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func (f *folder) remove(tmp string) { _ = os.Remove(filepath.Join(f.path, tmp)) }

func (f *folder) close() {}
