package ocf

// Code is an OCF exit code (OCF resource agent API 1.0, "Return codes"). The numbers are
// the standard's, so a Code is the agent's exit status. The agent uses 2 (OCF_ERR_ARGS)
// only for arguments after the action, which no cluster manager passes, and never 4
// (OCF_ERR_PERM): a bad parameter is a bad definition (6), and a missing privilege on
// Windows is a platform prerequisite, reported as 5.
type Code int

// The OCF exit codes the agent returns.
const (
	// Success: the site is in service (start, monitor) or out of service (stop).
	Success Code = 0
	// ErrGeneric: a check or an action failed; the cluster recovers the resource.
	ErrGeneric Code = 1
	// ErrArgs: the agent was called with arguments after the action.
	ErrArgs Code = 2
	// ErrUnimplemented: an action the agent does not have.
	ErrUnimplemented Code = 3
	// ErrInstalled: IIS, the service or the site is absent on this node; the cluster
	// never places the resource here.
	ErrInstalled Code = 5
	// ErrConfigured: the resource definition is wrong; the cluster stops trying anywhere.
	ErrConfigured Code = 6
	// NotRunning: the site or its service is cleanly stopped (the passive node's state).
	NotRunning Code = 7
)
