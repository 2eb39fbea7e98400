package appcmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"time"
)

// Output is what one appcmd process left behind.
type Output struct {
	// Stdout holds standard output followed by standard error: appcmd writes its
	// "ERROR ( ... )" lines to standard output, but a crash or a loader message goes to
	// standard error and must not be lost.
	Stdout []byte
	// ExitCode is the process's exit status; appcmd uses the low 16 bits of the failing
	// HRESULT (a hint only: the text decides).
	ExitCode int
}

// Runner starts one process with an argument vector and waits for it. Each call is
// exactly one process; a Runner never goes through a shell.
type Runner interface {
	Run(ctx context.Context, path string, args []string) (Output, error)
}

// ExecRunner runs processes with exec.CommandContext.
type ExecRunner struct {
	// WaitDelay bounds how long Run waits for the output pipes after the context ends
	// (a grandchild holding them open must not hang the caller); 0 means 5 s.
	WaitDelay time.Duration
}

// Run starts path with args, one argv element each. A non-zero exit status is not an
// error here: it is returned in Output for the caller to interpret.
func (r ExecRunner) Run(ctx context.Context, path string, args []string) (Output, error) {
	cmd := exec.CommandContext(ctx, path, args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	cmd.WaitDelay = r.WaitDelay
	if cmd.WaitDelay <= 0 {
		cmd.WaitDelay = 5 * time.Second
	}
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return Output{Stdout: out.Bytes()}, nil
	case ctx.Err() != nil:
		return Output{}, fmt.Errorf("run %s: %w", path, ctx.Err())
	case errors.As(err, &exit):
		return Output{Stdout: out.Bytes(), ExitCode: exit.ExitCode()}, nil
	}
	return Output{}, fmt.Errorf("run %s: %w", path, err)
}
