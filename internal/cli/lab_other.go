//go:build !windows && !iiskit_nolab

package cli

import (
	"context"

	"github.com/iiskit/iiskit/internal/lab/labcli"
	"github.com/iiskit/iiskit/internal/usage"
)

// labHelp is `iiskit lab -h`.
func labHelp() *usage.Command { return labcli.Help() }

// labVerbs are the lab's verbs.
func labVerbs() []string { return labcli.Verbs() }

// runLab runs `iiskit lab ...`: the lab host (an emulator) and the verbs that control it.
func runLab(ctx context.Context, args []string, s Streams) int {
	return labcli.Main(ctx, args, s.Getenv, s.Stdout, s.Stderr)
}
