//go:build windows

package winhost

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"github.com/iiskit/iiskit/internal/platform"
)

// inetStpKey is where IIS records its installation (InstallPath, MajorVersion).
const inetStpKey = `SOFTWARE\Microsoft\InetStp`

// findAppcmd returns appcmd.exe's path: %windir%\System32\inetsrv first, then the
// InetStp key's InstallPath. Neither found is a prerequisite error naming which of IIS
// and appcmd is missing.
func findAppcmd() (string, error) {
	var tried []string
	if dir, err := windows.GetSystemDirectory(); err == nil {
		p := filepath.Join(dir, "inetsrv", "appcmd.exe")
		if isFile(p) {
			return p, nil
		}
		tried = append(tried, p)
	}
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, inetStpKey, registry.QUERY_VALUE)
	if err != nil {
		return "", fmt.Errorf("%w: IIS is not installed (no appcmd.exe at %v and no HKLM\\%s key): install the Web Server (IIS) role with its management tools", platform.ErrPrerequisite, tried, inetStpKey)
	}
	defer k.Close()
	dir, _, err := k.GetStringValue("InstallPath")
	if err == nil {
		dir, err = registry.ExpandString(dir)
	}
	if err == nil {
		p := filepath.Join(dir, "appcmd.exe")
		if isFile(p) {
			return p, nil
		}
		tried = append(tried, p)
	}
	return "", fmt.Errorf("%w: appcmd.exe is missing (IIS is installed but no appcmd.exe at %v): install the IIS Management Scripts and Tools feature", platform.ErrPrerequisite, tried)
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// checkElevated fails unless the process runs with an administrator's full token: appcmd
// reads applicationHost.config and starts sites only when elevated, and a half-done
// action is worse than a clear refusal.
func checkElevated() error {
	if windows.GetCurrentProcessToken().IsElevated() {
		return nil
	}
	return fmt.Errorf("%w: iiskit is not running elevated: run it as an administrator (from an elevated prompt, or as LocalSystem under the cluster service)", platform.ErrPrerequisite)
}

// errNoIIS6Compat is returned by the metabase backends when the IIS 6 WMI provider is
// absent.
var errNoIIS6Compat = errors.New("the IIS 6 WMI provider (root\\MicrosoftIISv2) is missing: install IIS 6 Management Compatibility with IIS 6 WMI Compatibility")
