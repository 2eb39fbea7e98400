//go:build !windows

package lock

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestHardening6_LockFolder: a lock folder that is a link, owned by another user or
// writable by others is refused, a link planted as the lock file is never followed, and
// a folder iiskit creates is 0700.
func TestHardening6_LockFolder(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()

	fresh := filepath.Join(root, "a", "locks")
	release, err := Acquire(ctx, fresh, "t")
	if err != nil {
		t.Fatal(err)
	}
	release()
	if fi, err := os.Lstat(fresh); err != nil || fi.Mode().Perm() != 0o700 || !fi.IsDir() {
		t.Errorf("created folder: %v, %v", fi.Mode(), err)
	}

	link := filepath.Join(root, "link")
	if err := os.Symlink(fresh, link); err != nil {
		t.Fatal(err)
	}
	if _, err := Acquire(ctx, link, "t"); !errors.Is(err, ErrUnsafeFolder) {
		t.Errorf("folder that is a symbolic link: %v", err)
	}

	for name, mode := range map[string]os.FileMode{"world": 0o777, "group": 0o770, "sticky": 0o777 | os.ModeSticky} {
		d := filepath.Join(root, name)
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, mode); err != nil {
			t.Fatal(err)
		}
		if _, err := Acquire(ctx, d, "t"); !errors.Is(err, ErrUnsafeFolder) {
			t.Errorf("folder with mode %v: %v", mode, err)
		}
	}

	// A link planted where the lock file goes: refused, and its target untouched.
	planted := filepath.Join(root, "planted")
	if err := os.Mkdir(planted, 0o700); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(root, "victim")
	if err := os.Symlink(target, Path(planted, "t")); err != nil {
		t.Fatal(err)
	}
	if _, err := Acquire(ctx, planted, "t"); !errors.Is(err, ErrUnsafeFolder) {
		t.Errorf("lock file that is a symbolic link: %v", err)
	}
	if _, err := os.Lstat(target); !os.IsNotExist(err) {
		t.Errorf("the link's target was created: %v", err)
	}

	if os.Geteuid() != 0 {
		t.Log("not root: cannot make a folder owned by another user; safefile's TestCheckFolderOwner covers the rule")
		return
	}
	other := filepath.Join(root, "other")
	if err := os.Mkdir(other, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(other, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	if _, err := Acquire(ctx, other, "t"); !errors.Is(err, ErrUnsafeFolder) {
		t.Errorf("folder owned by another user: %v", err)
	}
}
