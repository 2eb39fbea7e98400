package cli

import (
	"github.com/iiskit/iiskit/internal/invocation"
)

// The watch command's view of the common settings; the definitions (defaults, the host,
// the sinks) are package invocation's, which every command shares.

// defaultPlatform is the platform used without --platform.
const defaultPlatform = invocation.DefaultPlatform

// actionFlags are the common settings the watch daemon takes as flags.
type actionFlags struct {
	platform, lab, events string
	json                  bool
}

func (f *actionFlags) settings() invocation.Settings {
	return invocation.Settings{Platform: f.platform, Lab: f.lab, JSON: f.json, Events: f.events}
}

// labURL is the lab setting's default: $IISKIT_LAB, else DefaultLabURL.
func labURL(getenv func(string) string) string {
	st, _ := invocation.SettingByKey("lab")
	return st.DefaultValue(getenv)
}

// platformUsageError is invocation.PlatformUsageError.
func platformUsageError(err error) bool { return invocation.PlatformUsageError(err) }
