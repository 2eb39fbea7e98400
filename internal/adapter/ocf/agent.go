package ocf

import (
	"fmt"
	"strings"
)

// Provider and Agent name the installed agent: ocf:iiskit:iis, the file iiskit/iis under
// the OCF resource.d folder.
const (
	Provider = "iiskit"
	Agent    = "iis"
)

// DefaultDir is where OCF managers look for agents.
const DefaultDir = "/usr/lib/ocf/resource.d"

// AgentScript is the installed agent: a POSIX shell script that runs exe (an absolute
// path) with `ocf ACTION`. exec keeps the cluster's signals and exit code direct; the
// path is single-quoted for the shell, with any quote inside escaped, so no path can
// change the command (SPEC S1).
func AgentScript(exe string) []byte {
	quoted := "'" + strings.ReplaceAll(exe, "'", `'\''`) + "'"
	return fmt.Appendf(nil, `#!/bin/sh
# ocf:%s:%s, written by "iiskit ocf install": the OCF resource agent of iiskit.
# Parameters come from OCF_RESKEY_* in the environment; see "iiskit ocf meta-data".
exec %s ocf "$1"
`, Provider, Agent, quoted)
}
