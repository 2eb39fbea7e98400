package lab

import (
	"os"
	"path/filepath"
	"syscall"
)

// Where Linux shows this process's network namespace, and where `ip netns add` keeps the
// named ones (each a bind mount of a namespace file).
const (
	netnsSelf = "/proc/self/ns/net"
	netnsDir  = "/run/netns"
)

// namedNetns returns the name of the file in dir that is the same namespace as self
// (same device and inode), or "" when there is none or anything cannot be read.
func namedNetns(self, dir string) string {
	var me syscall.Stat_t
	if err := syscall.Stat(self, &me); err != nil {
		return ""
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	for _, e := range entries {
		var st syscall.Stat_t
		if err := syscall.Stat(filepath.Join(dir, e.Name()), &st); err == nil && st.Dev == me.Dev && st.Ino == me.Ino {
			return e.Name()
		}
	}
	return ""
}
