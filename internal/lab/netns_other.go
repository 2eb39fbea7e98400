//go:build !linux

package lab

// Named network namespaces exist only on Linux; elsewhere the lab listens on loopback.
const (
	netnsSelf = ""
	netnsDir  = ""
)

// namedNetns is always "" off Linux.
func namedNetns(_, _ string) string { return "" }
