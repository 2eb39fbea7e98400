// Package docs_test checks that the README describes the tree it sits in.
package docs_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLayoutNamesEveryPackage: the README's Layout section names every Go package under
// internal/ and cmd/: a top-level one by its path (internal/clock), a nested one at least
// by its parent and name (lab/labapi, winhost/metabase).
func TestLayoutNamesEveryPackage(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "## Layout\n")
	if !ok {
		t.Fatal("README.md has no Layout section")
	}
	layout, _, _ := strings.Cut(after, "\n## ")
	root := filepath.Join("..", "..")
	seen := map[string]bool{}
	for _, top := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "testdata" {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") {
				return nil
			}
			rel, err := filepath.Rel(root, filepath.Dir(path))
			if err != nil {
				return err
			}
			parts := strings.Split(filepath.ToSlash(rel), "/")
			name := strings.Join(parts, "/")
			if len(parts) > 2 {
				name = strings.Join(parts[len(parts)-2:], "/")
			}
			if !seen[name] && !strings.Contains(layout, name) {
				t.Errorf("the README's Layout does not name %s (as %q)", rel, name)
			}
			seen[name] = true
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
