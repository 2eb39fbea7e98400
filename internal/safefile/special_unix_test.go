//go:build !windows

package safefile

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestHardening2_SpecialFilesDoNotBlock: a FIFO (with no writer, and for appending with no
// reader), a device and a folder are refused at once for every way iiskit opens a file.
func TestHardening2_SpecialFilesDoNotBlock(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	opens := map[string]func(string) error{
		"Open": func(p string) error {
			f, err := Open(p)
			if err == nil {
				f.Close()
			}
			return err
		},
		"OpenAppend": func(p string) error {
			f, err := OpenAppend(p, 0o600)
			if err == nil {
				f.Close()
			}
			return err
		},
		"ReadFile": func(p string) error { _, err := ReadFile(p, 1<<20); return err },
	}
	for _, path := range []string{fifo, "/dev/zero", "/dev/null", dir} {
		for name, open := range opens {
			done := make(chan error, 1)
			go func() { done <- open(path) }()
			select {
			case err := <-done:
				if err == nil {
					t.Errorf("%s(%s) opened a special file", name, path)
				} else if !errors.Is(err, ErrNotRegular) && !errors.Is(err, syscall.ENXIO) && !errors.Is(err, syscall.EISDIR) {
					t.Errorf("%s(%s) = %v, want ErrNotRegular (or the open's own refusal)", name, path, err)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%s(%s) blocked", name, path)
			}
		}
	}
}
