package action

import (
	"context"
	"time"

	"github.com/iiskit/iiskit/internal/resource"
)

// The names of the five actions, as the command line and the events spell them.
const (
	NameQuickCheck = "quickcheck"
	NameDeepCheck  = "deepcheck"
	NameRestore    = "restore"
	NameRemove     = "remove"
	NameRecover    = "recover"
)

// Func is one of the five actions: it runs against env for res and returns its outcome,
// the exit status and why.
type Func func(ctx context.Context, env Env, res resource.Resource) Outcome

// Action is one action with its timing policy (SPEC Timing). Every entry point (the
// command line, the cluster adapters, the watch daemon) looks actions up here, so the
// default deadlines live in one place.
type Action struct {
	Run Func
	// DefaultTimeout is the overall deadline when Options.Timeout is zero.
	DefaultTimeout time.Duration
}

// Lookup returns the action called name (quickcheck, deepcheck, restore, remove or
// recover).
func Lookup(name string) (Action, bool) {
	// A switch rather than a table of Funcs: the actions themselves read their policy
	// here, which a package-level table referring to them could not allow.
	a := Action{DefaultTimeout: DefaultChangeTimeout}
	switch name {
	case NameQuickCheck:
		a.Run, a.DefaultTimeout = QuickCheck, DefaultCheckTimeout
	case NameDeepCheck:
		a.Run, a.DefaultTimeout = DeepCheck, DefaultCheckTimeout
	case NameRestore:
		a.Run = Restore
	case NameRemove:
		a.Run = Remove
	case NameRecover:
		a.Run = Recover
	default:
		return Action{}, false
	}
	return a, true
}
