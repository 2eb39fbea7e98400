//go:build !windows

package safefile

import (
	"errors"
	"os"
	"testing"
)

// TestCheckFolderOwner: the rule of the lock folder and of generated scripts' folder.
func TestCheckFolderOwner(t *testing.T) {
	for _, tc := range []struct {
		owner, self uint32
		perm        os.FileMode
		ok          bool
	}{
		{1000, 1000, 0o700, true},
		{0, 1000, 0o755, true}, // root's folder, readable by all, writable by root only
		{1000, 0, 0o700, false},
		{1001, 1000, 0o700, false},
		{1000, 1000, 0o720, false},
		{1000, 1000, 0o702, false},
		{0, 0, 0o1777, false},
	} {
		err := CheckFolderOwner(tc.owner, tc.perm, tc.self)
		if (err == nil) != tc.ok || err != nil && !errors.Is(err, ErrUnsafeFolder) {
			t.Errorf("CheckFolderOwner(owner %d, %04o, self %d) = %v", tc.owner, tc.perm, tc.self, err)
		}
	}
}
