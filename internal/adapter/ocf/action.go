package ocf

import "fmt"

// Action is an OCF action the agent implements.
type Action string

// The agent's actions (CLI.md "Cluster managers").
const (
	Start       Action = "start"
	Stop        Action = "stop"
	Monitor     Action = "monitor"
	ValidateAll Action = "validate-all"
	MetaData    Action = "meta-data"
	// Usage prints the agent's command line; it runs nothing.
	Usage Action = "usage"
)

// ActionNames are the agent's actions, in help order.
var ActionNames = []Action{Start, Stop, Monitor, ValidateAll, MetaData, Usage}

// ParseAction accepts one of the agent's actions; anything else is OCF_ERR_UNIMPLEMENTED.
func ParseAction(s string) (Action, error) {
	for _, a := range ActionNames {
		if Action(s) == a {
			return a, nil
		}
	}
	return "", fmt.Errorf("action %q is not implemented (want start, stop, monitor, validate-all, meta-data or usage)", s)
}

// Command is the iiskit action that carries out a, at check level l: start is restore,
// stop is remove, monitor is quickcheck at level 0 and deepcheck at level 10. validate-all
// and meta-data run no action (Command returns ""): validate-all checks the definition
// and, at level 10, CheckPresence.
func Command(a Action, l Level) string {
	switch a {
	case Start:
		return "restore"
	case Stop:
		return "remove"
	case Monitor:
		if l >= Deep {
			return "deepcheck"
		}
		return "quickcheck"
	}
	return ""
}
