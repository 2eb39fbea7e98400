//go:build windows

package winhost

import (
	"slices"
	"testing"

	"golang.org/x/sys/windows/registry"
)

// TestFactsOfTheHost: doctor's facts say IIS's version as InetStp records it
// (MajorVersion.MinorVersion, Microsoft Learn "IIS version from the registry":
// HKLM\SOFTWARE\Microsoft\InetStp), unknown with the reason when the values are not
// there, and where appcmd is: the path given, or "absent" when there is no file there.
func TestFactsOfTheHost(t *testing.T) {
	needWine(t)
	_ = registry.DeleteKey(registry.LOCAL_MACHINE, inetStpKey)
	defer registry.DeleteKey(registry.LOCAL_MACHINE, inetStpKey)
	h, _, _ := newHost(t, Options{AppcmdPath: `C:\iiskit\no-such\appcmd.exe`})
	fact := func(name string) string {
		i := slices.IndexFunc(h.Facts(), func(f Fact) bool { return f.Name == name })
		if i < 0 {
			t.Fatalf("no fact %q", name)
		}
		return h.Facts()[i].Value
	}
	if got := fact("iis"); got != "unknown (no InetStp key)" {
		t.Errorf("no InetStp: %q", got)
	}
	if got := fact("appcmd"); got != "absent" {
		t.Errorf("appcmd at a path with no file: %q, want absent", got)
	}
	k, _, err := registry.CreateKey(registry.LOCAL_MACHINE, inetStpKey, registry.SET_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if err := k.SetDWordValue("MajorVersion", 10); err != nil {
		t.Fatal(err)
	}
	if got := fact("iis"); got != "unknown (InetStp has no MajorVersion)" {
		t.Errorf("InetStp without MinorVersion: %q", got)
	}
	if err := k.SetDWordValue("MinorVersion", 0); err != nil {
		t.Fatal(err)
	}
	if got := fact("iis"); got != "10.0" {
		t.Errorf("InetStp 10, 0: %q, want 10.0", got)
	}
	h2, _, _ := newHost(t, Options{AppcmdPath: standIn(t) + `\appcmd.exe`})
	if i := slices.IndexFunc(h2.Facts(), func(f Fact) bool { return f.Name == "appcmd" }); i < 0 || h2.Facts()[i].Value != standIn(t)+`\appcmd.exe` {
		t.Errorf("appcmd at the path given: %v", h2.Facts())
	}
}
