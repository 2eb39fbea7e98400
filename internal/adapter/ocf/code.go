package ocf

import "fmt"

// Code is an OCF exit code (OCF resource agent API 1.0, "Return codes"). The numbers are
// the standard's, so a Code is the agent's exit status.
type Code int

// The OCF exit codes the agent returns.
const (
	// Success: the site is in service (start, monitor) or out of service (stop).
	Success Code = 0
	// ErrGeneric: a check or an action failed; the cluster recovers the resource.
	ErrGeneric Code = 1
	// ErrArgs: the agent was called wrongly (not used by the actions; kept for String).
	ErrArgs Code = 2
	// ErrUnimplemented: an action the agent does not have.
	ErrUnimplemented Code = 3
	// ErrPerm: not allowed (not used: a missing privilege is an IIS prerequisite, 5).
	ErrPerm Code = 4
	// ErrInstalled: IIS, the service or the site is absent on this node; the cluster
	// never places the resource here.
	ErrInstalled Code = 5
	// ErrConfigured: the resource definition is wrong; the cluster stops trying anywhere.
	ErrConfigured Code = 6
	// NotRunning: the site or its service is cleanly stopped (the passive node's state).
	NotRunning Code = 7
)

var codeNames = map[Code]string{
	Success: "OCF_SUCCESS", ErrGeneric: "OCF_ERR_GENERIC", ErrArgs: "OCF_ERR_ARGS",
	ErrUnimplemented: "OCF_ERR_UNIMPLEMENTED", ErrPerm: "OCF_ERR_PERM",
	ErrInstalled: "OCF_ERR_INSTALLED", ErrConfigured: "OCF_ERR_CONFIGURED", NotRunning: "OCF_NOT_RUNNING",
}

// String returns the code's OCF name, e.g. OCF_NOT_RUNNING.
func (c Code) String() string {
	if n, ok := codeNames[c]; ok {
		return n
	}
	return fmt.Sprintf("OCF code %d", int(c))
}
