//go:build windows

package lock

import "path/filepath"

// defaultDir is %ProgramData%\iiskit\locks: one folder for every account, since a cluster
// service (LocalSystem) and an administrator at a console must see each other's locks,
// which the per-user temporary folder would hide.
func defaultDir(getenv func(string) string) string {
	pd := getenv("ProgramData")
	if pd == "" {
		pd = `C:\ProgramData`
	}
	return filepath.Join(pd, "iiskit", "locks")
}
