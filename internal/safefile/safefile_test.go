package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestReadFileBoundsAndRegularFiles(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte("12345"), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFile(p, 5); err != nil || string(b) != "12345" {
		t.Errorf("ReadFile(limit 5) = %q, %v", b, err)
	}
	if _, err := ReadFile(p, 4); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReadFile(limit 4) = %v, want ErrTooLarge", err)
	}
	f, err := OpenAppend(p, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("6"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if b, _ := os.ReadFile(p); string(b) != "123456" {
		t.Errorf("after append: %q", b)
	}
}
