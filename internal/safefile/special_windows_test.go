//go:build windows

package safefile

import (
	"errors"
	"testing"
)

// TestHardening2_SpecialFilesWindows: the NUL and CON devices and a folder are refused
// (GetFileType and the handle's own information, not the name).
func TestHardening2_SpecialFilesWindows(t *testing.T) {
	for _, path := range []string{"NUL", `\\.\NUL`, t.TempDir()} {
		if f, err := Open(path); err == nil {
			f.Close()
			t.Errorf("Open(%s) opened a special file", path)
		} else if !errors.Is(err, ErrNotRegular) {
			t.Errorf("Open(%s) = %v, want ErrNotRegular", path, err)
		}
	}
	if _, err := ReadFile("NUL", 1<<20); !errors.Is(err, ErrNotRegular) {
		t.Errorf("ReadFile(NUL) = %v", err)
	}
}
