package invocation

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/iiskit/iiskit/internal/action"
)

// ResolveForScript resolves req for a script generator (lifekeeper scripts, wsfc script)
// as the actions would, under a check's deadline, so that a bad definition is exit status
// 2 now rather than a failing resource later. A resource that lives in a resource file
// not on this machine (the scripts may be written away from the cluster's nodes, with a
// Windows path) is not resolved: a note on s.Stderr says so, and only the settings are
// (the Invocation's Resource is then empty). Both generators call it, so they take the
// same paths the same way.
func ResolveForScript(req *Request, s Streams) (*Invocation, error) {
	if req.Value("site") == "" && req.Value("type") == "" {
		if file := configOf(req, s.Getenv); file != "" {
			if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
				fmt.Fprintf(s.Stderr, "iiskit: note: %s is not on this machine; tag %q is looked up there when the script runs\n", file, req.Value("tag"))
				set, err := ResolveSettings(req, s.Getenv)
				if err != nil {
					return nil, err
				}
				return &Invocation{Settings: set}, nil
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), action.DefaultCheckTimeout)
	defer cancel()
	return Resolve(ctx, req, action.DefaultCheckTimeout, s.Getenv)
}

// configOf is the resource file the request names, by the config setting or
// $IISKIT_CONFIG.
func configOf(req *Request, getenv func(string) string) string {
	if req.Given("config") {
		return req.Value("config")
	}
	return getenv("IISKIT_CONFIG")
}
