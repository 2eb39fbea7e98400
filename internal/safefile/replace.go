package safefile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrUnsafeFolder is a folder iiskit refuses to create files in: a link (or junction), not
// a folder, owned by another user, or writable by others. Files there could be replaced
// by another user between the moment iiskit writes them and the moment they are run.
var ErrUnsafeFolder = errors.New("unsafe folder")

// File is one file of a set that ReplaceFiles writes.
type File struct {
	// Path is where the file goes; its folder is created when absent.
	Path string
	// Data is the file's whole content.
	Data []byte
	// Mode is the file's permission bits (applied whatever the umask; ignored on Windows).
	Mode os.FileMode
}

// ReplaceFiles writes files all or nothing, as far as a file system allows: each file
// is first written whole to a new temporary file beside it (created exclusively, never
// through a link), and only when every one is written are they renamed into place. So a
// reader sees each file either old or new, never partly written (a check run while the
// files are being written runs the old script or the new one), a link planted at a
// final name is replaced and never followed, and a failure before the renames leaves
// nothing behind: the temporary files are removed, and folders it created are removed
// again when empty. A rename failing half-way (the disk removed, say) can leave some
// files new and some old; the error says so.
//
// Each folder is checked before anything is written in it (see openFolder): one that is
// a link, owned by another user (root excepted) or writable by others is refused with
// ErrUnsafeFolder, the rule of the lock folder.
func ReplaceFiles(files []File) (err error) {
	var created []string // folders made here, deepest first
	folders := map[string]*folder{}
	var order []string
	type temp struct {
		f         *folder
		tmp, name string
	}
	var temps []temp
	defer func() {
		for _, t := range temps {
			t.f.remove(t.tmp)
		}
		for _, d := range order {
			folders[d].close()
		}
		if err != nil {
			for _, d := range created {
				_ = os.Remove(d) // only an empty folder goes
			}
		}
	}()
	for _, f := range files {
		dir, name := filepath.Split(f.Path)
		dir = filepath.Clean(dir)
		fo, ok := folders[dir]
		if !ok {
			missing, merr := makeFolder(dir)
			created = append(missing, created...)
			if merr != nil {
				return merr
			}
			if fo, err = openFolder(dir); err != nil {
				return err
			}
			folders[dir] = fo
			order = append(order, dir)
		}
		tmp, werr := fo.writeTemp(name, f.Data, f.Mode)
		if werr != nil {
			return fmt.Errorf("write %s: %w", f.Path, werr)
		}
		temps = append(temps, temp{fo, tmp, name})
	}
	for _, t := range temps {
		if rerr := t.f.replaceable(t.name); rerr != nil {
			return fmt.Errorf("replace %s: %w", filepath.Join(t.f.path, t.name), rerr)
		}
	}
	for i, t := range temps {
		if rerr := t.f.rename(t.tmp, t.name); rerr != nil {
			temps = temps[i:]
			return fmt.Errorf("replace %s (%d of %d files replaced): %w", filepath.Join(t.f.path, t.name), i, len(files), rerr)
		}
	}
	temps = nil
	return nil
}

// makeFolder creates dir and its missing parents (0755) and returns the folders it
// created, deepest first, so that a failure can remove them again.
func makeFolder(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; {
		if _, err := os.Lstat(d); !errors.Is(err, fs.ErrNotExist) {
			break
		}
		missing = append(missing, d)
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		if fi, lerr := os.Lstat(dir); lerr == nil && !fi.IsDir() {
			return missing, fmt.Errorf("folder %s: %w (%s)", dir, ErrUnsafeFolder, kind(fi.Mode()))
		}
		return missing, fmt.Errorf("create %s: %w", dir, err)
	}
	return missing, nil
}

// tempName is a fresh name for a temporary file beside name: hidden, and random so that
// it cannot be guessed and planted in advance (its exclusive creation refuses one anyway).
func tempName(name string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "." + name + ".tmp-" + hex.EncodeToString(b[:])
}
