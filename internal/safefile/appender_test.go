package safefile

import (
	"os"
	"path/filepath"
	"testing"
)

// TestAppenderReopenAfterRotation: after the file is renamed (logrotate), Reopen sends
// the next lines to a new file at the path, and the rotated file keeps the old ones.
func TestAppenderReopenAfterRotation(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "events.jsonl")
	a, err := NewAppender(path, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Write([]byte("one\n")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	if err := a.Reopen(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Write([]byte("two\n")); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{path + ".1": "one\n", path: "two\n"} {
		if b, err := os.ReadFile(p); err != nil || string(b) != want {
			t.Errorf("%s holds %q (%v), want %q", filepath.Base(p), b, err, want)
		}
	}
	// A path that cannot be opened any more leaves the file in use.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := a.Reopen(); err == nil {
		t.Error("Reopen onto a folder succeeded")
	}
	if _, err := a.Write([]byte("three\n")); err != nil {
		t.Errorf("write after a failed reopen: %v", err)
	}
}
