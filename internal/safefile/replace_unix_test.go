//go:build !windows

package safefile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// listing returns every name under dir (relative, sorted by the walk), for "nothing
// changed" checks.
func listing(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && p != dir {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, rel)
		}
		return nil
	})
	return names
}

func TestReplaceFilesWritesAll(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	files := []File{
		{Path: filepath.Join(dir, "a.ksh"), Data: []byte("a\n"), Mode: 0o755},
		{Path: filepath.Join(dir, "sub", "b.sh"), Data: []byte("b\n"), Mode: 0o750},
		{Path: filepath.Join(dir, "r.toml"), Data: []byte("r\n"), Mode: 0o644},
	}
	if err := ReplaceFiles(files); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		fi, err := os.Lstat(f.Path)
		if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != f.Mode {
			t.Errorf("%s: %v, %v, want a regular file %v", f.Path, fi.Mode(), err, f.Mode)
		}
		if b, _ := os.ReadFile(f.Path); !bytes.Equal(b, f.Data) {
			t.Errorf("%s holds %q", f.Path, b)
		}
	}
	if got := strings.Join(listing(t, dir), " "); got != "a.ksh r.toml sub sub/b.sh" {
		t.Errorf("folder holds %s (a temporary file left?)", got)
	}
}

// TestHardening6_ReplaceFilesNeverFollowsALink: a link another user planted at a final
// name is replaced by the file; its target (a 0600 file of root's) keeps its content and
// mode.
func TestHardening6_ReplaceFilesNeverFollowsALink(t *testing.T) {
	root := t.TempDir()
	victim := filepath.Join(root, "shadow")
	if err := os.WriteFile(victim, []byte("secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "out")
	os.Mkdir(dir, 0o755)
	final := filepath.Join(dir, "restore.ksh")
	if err := os.Symlink(victim, final); err != nil {
		t.Fatal(err)
	}
	if err := ReplaceFiles([]File{{Path: final, Data: []byte("#!/bin/ksh\n"), Mode: 0o755}}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(final); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("%s is %v (%v), want a regular file", final, fi.Mode(), err)
	}
	fi, err := os.Stat(victim)
	if b, _ := os.ReadFile(victim); err != nil || string(b) != "secret\n" || fi.Mode().Perm() != 0o600 {
		t.Errorf("the link's target changed: %q, mode %v (%v)", b, fi.Mode(), err)
	}
}

// TestHardening6_ReplaceFilesRefusesUnsafeFolders: a folder that is a link, is writable
// by others (sticky or not) or belongs to another user (root excepted) is refused with
// ErrUnsafeFolder, and nothing is written in it.
func TestHardening6_ReplaceFilesRefusesUnsafeFolders(t *testing.T) {
	root := t.TempDir()
	real := filepath.Join(root, "real")
	os.Mkdir(real, 0o755)
	link := filepath.Join(root, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	dirs := map[string]string{"a link": link}
	for name, mode := range map[string]os.FileMode{"world-writable": 0o777, "group-writable": 0o775, "sticky": 0o777 | os.ModeSticky} {
		d := filepath.Join(root, name)
		os.Mkdir(d, 0o700)
		if err := os.Chmod(d, mode); err != nil {
			t.Fatal(err)
		}
		dirs[name] = d
	}
	if os.Geteuid() == 0 {
		d := filepath.Join(root, "other")
		os.Mkdir(d, 0o755)
		if err := os.Chown(d, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		dirs["owned by another user"] = d
	} else {
		t.Log("not root: cannot make a folder owned by another user; TestCheckFolderOwner covers the rule")
	}
	for name, d := range dirs {
		err := ReplaceFiles([]File{{Path: filepath.Join(d, "restore.ksh"), Data: []byte("x"), Mode: 0o755}})
		if !errors.Is(err, ErrUnsafeFolder) {
			t.Errorf("%s: %v, want %v", name, err, ErrUnsafeFolder)
		}
		if names := listing(t, d); len(names) != 0 {
			t.Errorf("%s: written %q", name, names)
		}
	}
	file := filepath.Join(root, "file")
	os.WriteFile(file, nil, 0o644)
	if err := ReplaceFiles([]File{{Path: filepath.Join(file, "x"), Mode: 0o644}}); !errors.Is(err, ErrUnsafeFolder) {
		t.Errorf("a file as the folder: %v, want %v", err, ErrUnsafeFolder)
	}
}

// TestReplaceFilesAllOrNothing: when one file of the set cannot be written (its name is
// a folder), none is: earlier files keep their content, no temporary file is left, and
// the folders made for the set are removed again.
func TestReplaceFilesAllOrNothing(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	os.Mkdir(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "a.ksh"), []byte("old"), 0o755)
	os.Mkdir(filepath.Join(dir, "c.ksh"), 0o755)
	err := ReplaceFiles([]File{
		{Path: filepath.Join(dir, "a.ksh"), Data: []byte("new"), Mode: 0o755},
		{Path: filepath.Join(dir, "new", "deeper", "b.sh"), Data: []byte("new"), Mode: 0o755},
		{Path: filepath.Join(dir, "c.ksh"), Data: []byte("new"), Mode: 0o755},
	})
	if err == nil {
		t.Fatal("a folder at a final name was replaced")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.ksh")); string(b) != "old" {
		t.Errorf("a.ksh holds %q, want the old content", b)
	}
	if got := strings.Join(listing(t, dir), " "); got != "a.ksh c.ksh" {
		t.Errorf("folder holds %s, want a.ksh c.ksh", got)
	}
}

// TestHardening6_ReadersSeeWholeFiles: a script read while the set is being written again
// is the old one or the new one, never a partly written file (the in-place writes let
// checks of a stopped site run an empty script and exit 0).
func TestHardening6_ReadersSeeWholeFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quickCheck.ksh")
	old := bytes.Repeat([]byte("old script line\n"), 4096)
	updated := bytes.Repeat([]byte("new script line\n"), 4096)
	if err := ReplaceFiles([]File{{Path: path, Data: old, Mode: 0o755}}); err != nil {
		t.Fatal(err)
	}
	const rounds = 200
	var wg sync.WaitGroup
	wg.Add(1)
	done := make(chan struct{})
	go func() {
		defer wg.Done()
		defer close(done)
		for i := range rounds {
			data := old
			if i%2 == 0 {
				data = updated
			}
			if err := ReplaceFiles([]File{{Path: path, Data: data, Mode: 0o755}}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	reads := 0
	for {
		select {
		case <-done:
			wg.Wait()
			t.Logf("%d reads during %d rewrites", reads, rounds)
			return
		default:
		}
		b, err := os.ReadFile(path)
		reads++
		if err != nil || !bytes.Equal(b, old) && !bytes.Equal(b, updated) {
			t.Fatalf("read %d bytes (%v): neither the old nor the new script", len(b), err)
		}
	}
}
