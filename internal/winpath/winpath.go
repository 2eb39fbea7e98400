// Package winpath recognises Windows paths on any OS: a generated script (WSFC's Generic
// Script, LifeKeeper's action scripts) may be written on one machine for the cluster's
// Windows nodes, and names files there.
package winpath

// IsAbs reports whether p is an absolute Windows path: a drive letter with a root
// (C:\x, C:/x) or a UNC path (\\server\share, //server/share). filepath.IsAbs answers for
// this machine's OS only.
func IsAbs(p string) bool {
	isSep := func(c byte) bool { return c == '\\' || c == '/' }
	if len(p) >= 3 && p[1] == ':' && isSep(p[2]) {
		c := p[0] | 0x20 // lower case
		return c >= 'a' && c <= 'z'
	}
	return len(p) >= 3 && isSep(p[0]) && isSep(p[1]) && !isSep(p[2])
}
