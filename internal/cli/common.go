package cli

import (
	"context"

	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/invocation"
	"github.com/iiskit/iiskit/internal/platform"
)

// The watch command's view of the common settings; the definitions (defaults, the host,
// the sinks) are package invocation's, which every command shares.

// defaultPlatform is the platform used without --platform.
const defaultPlatform = invocation.DefaultPlatform

// errReported marks a flag error the flag package has already printed with the usage.
var errReported = invocation.ErrReported

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

// newHost builds and contacts the platform named, as invocation.NewHost.
func newHost(ctx context.Context, name, lab string) (platform.Host, error) {
	return invocation.NewHost(ctx, invocation.Settings{Platform: name, Lab: lab})
}

// platformUsageError is invocation.PlatformUsageError.
func platformUsageError(err error) bool { return invocation.PlatformUsageError(err) }

// openSinks opens the event sinks of f, as every action does.
func openSinks(f *actionFlags, s Streams) (event.Multi, func(), error) {
	return invocation.OpenSinks(f.settings(), s)
}
