package ocf

import (
	"path/filepath"
	"testing"
)

// TestInstallRefusesABuildFolder: an agent must not point at a binary that Go removes
// (go run, go test) or recycles (the build cache).
func TestInstallRefusesABuildFolder(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "cache", "go-build-cache")
	for _, c := range []struct {
		exe  string
		want bool
	}{
		{"/tmp/go-build3374641234/b001/exe/iiskit", true},     // go run ./cmd/iiskit
		{"/tmp/go-build12/b001/iiskit.test", true},            // go test
		{filepath.Join(cache, "ab", "abcdef-d"), true},        // inside GOCACHE
		{"/usr/local/bin/iiskit", false},                      // installed
		{"/opt/iiskit/bin/iiskit", false},                     // installed elsewhere
		{filepath.Join(filepath.Dir(cache), "iiskit"), false}, // beside the cache, not in it
		{"/home/admin/go-builds-notes/iiskit", true},          // a go-build* folder name: refused rather than risked
	} {
		if got := inBuildCache(c.exe, cache); got != c.want {
			t.Errorf("inBuildCache(%q) = %v, want %v", c.exe, got, c.want)
		}
	}
}
