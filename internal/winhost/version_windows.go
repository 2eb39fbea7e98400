//go:build windows

package winhost

import "golang.org/x/sys/windows"

// Version is a Windows version, major.minor as RtlGetVersion reports it (6.3 is 2012 R2,
// 10.0 is 2016 and later).
type Version struct {
	Major, Minor, Build uint32
}

// currentVersion asks the kernel, not GetVersionEx, whose answer depends on the exe's
// compatibility manifest.
func currentVersion() Version {
	v := windows.RtlGetVersion()
	return Version{Major: v.MajorVersion, Minor: v.MinorVersion, Build: v.BuildNumber}
}

// after2008R2 reports whether the system is newer than Windows Server 2008 R2 (6.1):
// the original kit's test for reading FTP sites with the IIS 7.5+ tools (appcmd and
// the ftpServer element) instead of the IIS 6 metabase.
func (v Version) after2008R2() bool {
	return v.Major > 6 || v.Major == 6 && v.Minor > 1
}
