package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/labhost"
	"github.com/iiskit/iiskit/internal/platform"
)

// DefaultLabURL is the lab host's control address when neither --lab nor $IISKIT_LAB says.
const DefaultLabURL = "http://127.0.0.1:7780"

var errBadPlatform = errors.New("unknown platform")

// platformUsageError reports whether newHost failed on the command line itself (an
// unknown --platform, a --lab that is not a lab host address) rather than on the host:
// exit status 2, nothing changed, nothing contacted.
func platformUsageError(err error) bool {
	return errors.Is(err, errBadPlatform) || errors.Is(err, labapi.ErrBadURL)
}

func labURL(getenv func(string) string) string {
	if u := getenv("IISKIT_LAB"); u != "" {
		return u
	}
	return DefaultLabURL
}

// newHost builds the platform named by --platform, and fails when the lab host cannot be
// reached: for the callers that answer that before running anything (the OCF agent, the
// watch daemon).
func newHost(ctx context.Context, name, lab string) (platform.Host, error) {
	switch name {
	case "lab":
		return labhost.New(ctx, lab)
	case "windows":
		return windowsHost(ctx)
	}
	return nil, unknownPlatform(name)
}

// unknownPlatform is the usage error of a --platform that names no platform.
func unknownPlatform(name string) error {
	return &flagError{flags: []string{"platform"}, err: errBadPlatform, text: func(n []string) string {
		return fmt.Sprintf("%s %q: %v (want windows or lab)", n[0], name, errBadPlatform)
	}}
}

// newActionHost builds the platform named by --platform for one action. The lab platform
// is not contacted here: an unreachable lab host is a fault the action's first step meets
// and reports with its SPEC event (and restore's closing 9408), not an exit before any
// event. A bad platform name and a missing prerequisite stay errors: usage, exit 2.
func newActionHost(ctx context.Context, name, lab string) (platform.Host, error) {
	switch name {
	case "lab":
		return labhost.Open(lab)
	case "windows":
		return windowsHost(ctx)
	}
	return nil, unknownPlatform(name)
}
