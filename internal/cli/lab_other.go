//go:build !windows && !iiskit_nolab

package cli

import (
	"context"

	"github.com/iiskit/iiskit/internal/lab/labcli"
)

// runLab runs `iiskit lab ...`: the lab host (an emulator) and the verbs that control it.
func runLab(ctx context.Context, args []string, s Streams) int {
	return labcli.Main(ctx, args, s.Getenv, s.Stdout, s.Stderr)
}
