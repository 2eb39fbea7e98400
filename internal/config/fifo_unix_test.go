//go:build !windows

package config

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestHardening2_FIFOAsResourceOrPasswordFile: a FIFO named as the resource file or the
// password file is refused at once, not waited on.
func TestHardening2_FIFOAsResourceOrPasswordFile(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := LoadContext(ctx, fifo)
	var fe *FileError // a file of this node, not a definition wrong everywhere
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "not a regular file (a named pipe)") {
		t.Errorf("resource file: %v", err)
	}
	if _, err := FTPPassword(fifo, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("password file: %v", err)
	}
}
