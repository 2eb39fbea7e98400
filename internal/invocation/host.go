package invocation

import (
	"context"
	"errors"
	"fmt"

	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/labhost"
	"github.com/iiskit/iiskit/internal/platform"
)

var errBadPlatform = errors.New("unknown platform")

// PlatformUsageError reports whether building the host failed on the settings themselves
// (an unknown platform, a lab address that is not a lab host address) rather than on the
// host: a usage error (exit 2, OCF_ERR_CONFIGURED), nothing changed, nothing contacted.
func PlatformUsageError(err error) bool {
	return errors.Is(err, errBadPlatform) || errors.Is(err, labapi.ErrBadURL)
}

// NewHost builds the platform the settings name and fails when the lab host cannot be
// reached: for the callers that answer that before running anything (the OCF agent, the
// watch daemon).
func NewHost(ctx context.Context, s Settings) (platform.Host, error) {
	switch s.Platform {
	case "lab":
		return labhost.New(ctx, s.Lab)
	case "windows":
		return windowsHost(ctx)
	}
	return nil, unknownPlatform(s.Platform)
}

// OpenHost builds the platform the settings name for one action. The lab platform is not
// contacted here: an unreachable lab host is a fault the action's first step meets and
// reports with its SPEC event (and restore's closing 9408), not an exit before any event.
// A bad platform name and a missing prerequisite stay errors: usage, exit 2.
func OpenHost(ctx context.Context, s Settings) (platform.Host, error) {
	switch s.Platform {
	case "lab":
		return labhost.Open(s.Lab)
	case "windows":
		return windowsHost(ctx)
	}
	return nil, unknownPlatform(s.Platform)
}

// unknownPlatform is the usage error of a platform setting that names no platform.
func unknownPlatform(name string) error {
	return &Error{Keys: []string{"platform"}, err: errBadPlatform, text: func(n []string) string {
		return fmt.Sprintf("%s %q: %v (want windows or lab)", n[0], name, errBadPlatform)
	}}
}
