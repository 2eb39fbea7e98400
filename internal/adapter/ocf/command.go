package ocf

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/invocation"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/usage"
)

// usageText is what the usage action prints.
const usageText = `usage: iiskit ocf start|stop|monitor|validate-all|meta-data|usage
       iiskit ocf install [--dir DIR]
The agent ocf:iiskit:iis reads its parameters from OCF_RESKEY_* (see meta-data),
the check depth from OCF_CHECK_LEVEL (0 quickcheck, 10 deepcheck) and the
deadline from OCF_RESKEY_CRM_meta_timeout.
`

// ocfText is what every OCF action's help says about the agent's inputs.
const ocfText = `The agent ocf:iiskit:iis reads its parameters from OCF_RESKEY_* (see meta-data), the
check depth from OCF_CHECK_LEVEL (0 quickcheck, 10 deepcheck) and the deadline from
OCF_RESKEY_CRM_meta_timeout. Exit status: an OCF code (0 running or done, 7 cleanly
stopped, 1 failed, 5 not installed here, 6 misconfigured, 3 unknown action, 2 arguments
after the action); a failure writes one ocf-exit-reason: line on stderr.`

var actionSummaries = map[Action]string{
	Start:       "bring the site into service (restore)",
	Stop:        "take the site out of service (remove)",
	Monitor:     "check the site: quickcheck at OCF_CHECK_LEVEL 0, deepcheck at 10 or more",
	ValidateAll: "check the parameters and the resource definition; at level 10, that IIS has the site",
	MetaData:    "print the agent's meta-data (XML) for the cluster manager",
	Usage:       "print the agent's command line",
}

// ActionHelp is the help of `iiskit ocf ACTION`.
func ActionHelp(a Action) *usage.Command {
	return &usage.Command{
		Name:     "ocf " + string(a),
		Summary:  actionSummaries[a],
		Usage:    []string{"iiskit ocf " + string(a)},
		Text:     ocfText,
		Examples: []string{"OCF_RESKEY_tag=iis-www1 OCF_RESKEY_config=/etc/iiskit/resources.toml iiskit ocf " + string(a)},
	}
}

// InstallHelp is the help of `iiskit ocf install`; its flags are the flag set's.
var InstallHelp = &usage.Command{
	Name:    "ocf install",
	Summary: "install the agent ocf:iiskit:iis, a script that runs this binary by its path",
	Usage:   []string{"iiskit ocf install [--dir DIR]"},
	Text: "Install the binary where it stays first (not a go run build, which lives in a cache):\n" +
		"the agent runs it by the path it has now. Exit status: 0 installed, 1 failed, 2 bad usage.",
	Examples: []string{"iiskit ocf install", "iiskit ocf install --dir /usr/lib/ocf/resource.d"},
}

// Help is the help of `iiskit ocf`.
func Help() *usage.Command {
	subs := []*usage.Command{}
	for _, a := range ActionNames {
		subs = append(subs, ActionHelp(a))
	}
	subs = append(subs, InstallHelp)
	return usage.Family("ocf", "the OCF resource agent ocf:iiskit:iis for Pacemaker, and its installer", subs,
		"iiskit ocf install", "OCF_RESKEY_tag=iis-www1 OCF_RESKEY_config=/etc/iiskit/resources.toml iiskit ocf monitor")
}

// Main runs `iiskit ocf ACTION` (args without "ocf"), the agent ocf:iiskit:iis, and
// `iiskit ocf install`; version is iiskit's, the meta-data's agent version. Its exit
// status is an OCF exit code. -h is no OCF action: it prints the help (exit 0).
func Main(ctx context.Context, args []string, s invocation.Streams, version string) int {
	if len(args) > 0 && args[0] == "install" {
		return runInstall(args[1:], s)
	}
	name := ""
	if len(args) > 0 {
		name = args[0]
	}
	if usage.IsHelp(name) {
		Help().Write(s.Stdout)
		return int(Success)
	}
	a, err := ParseAction(name)
	if err != nil {
		return report(s, Fail(ErrUnimplemented, "%v; see iiskit ocf -h", err))
	}
	if len(args) > 1 {
		if len(args) == 2 && usage.IsHelp(args[1]) {
			ActionHelp(a).Write(s.Stdout)
			return int(Success)
		}
		// A cluster manager passes the action alone: anything more is a mistake made by
		// hand, refused before anything runs.
		return report(s, Fail(ErrArgs, "unexpected argument %q after the action %s; see iiskit ocf -h", args[1], a))
	}
	switch a {
	case MetaData:
		xml, err := MetaDataXML(version)
		if err != nil {
			return report(s, Fail(ErrGeneric, "%v", err))
		}
		_, _ = s.Stdout.Write(xml)
		return int(Success)
	case Usage:
		fmt.Fprint(s.Stdout, usageText)
		return int(Success)
	}
	return report(s, run(ctx, a, s))
}

// run resolves the OCF environment once (parameters, resource file, FTP password), builds
// the host once, runs the action on both and maps its outcome to an OCF result.
func run(ctx context.Context, a Action, s invocation.Streams) Result {
	level, warning := ParseLevel(s.Getenv("OCF_CHECK_LEVEL"))
	if warning != "" {
		fmt.Fprintf(s.Stderr, "iiskit ocf %s: %s\n", a, warning)
	}
	if s.Environ != nil {
		if unknown := UnknownParams(s.Environ()); len(unknown) > 0 {
			err := unknownParamsError(unknown)
			if a == ValidateAll {
				return Fail(ErrConfigured, "%v", err)
			}
			// Elsewhere a warning: a typo must not stop a running site on every node.
			fmt.Fprintf(s.Stderr, "iiskit ocf %s: warning: %v\n", a, err)
		}
	}
	req, err := Request(s.Getenv)
	if err != nil {
		return Fail(ErrConfigured, "%v", err)
	}
	timeout, set, err := Deadline(s.Getenv(EnvPrefix + metaTimeoutParam))
	if err != nil {
		return Fail(ErrConfigured, "%v", err)
	}
	if set {
		req.Set("timeout", timeout.String())
	}
	cmd := Command(a, level)
	act, ok := action.Lookup(cmd)
	if !ok { // validate-all: no action, a check's deadline
		act = action.Action{DefaultTimeout: action.DefaultCheckTimeout}
	}

	req.ForRemove = cmd == action.NameRemove
	inv, err := invocation.Resolve(ctx, req, act.DefaultTimeout, s.Getenv)
	if err != nil {
		return resolveFailure(err)
	}
	if a == ValidateAll && level < Deep {
		return Result{Code: Success}
	}
	ctx, cancel := context.WithDeadline(ctx, inv.Deadline)
	defer cancel()

	// The platform before the action, contacted: only here can the agent tell a missing
	// prerequisite (IIS absent: 5) from a bad platform name (6) and an unreachable host
	// (1). The action then runs on this host, and Decide reads its outcome.
	host, err := invocation.NewHost(ctx, inv.Settings)
	switch {
	case errors.Is(err, platform.ErrPrerequisite):
		// Also for stop: a prerequisite covers "IIS is not installed" and "not elevated",
		// and in the second case the site may be serving, so stop cannot report it
		// stopped. Pacemaker needs no stop where the probe already said 5.
		return Fail(ErrInstalled, "%v", err)
	case invocation.PlatformUsageError(err):
		return Fail(ErrConfigured, "%s", invocation.Message(err, ParamName))
	case err != nil:
		return Fail(ErrGeneric, "%v", err)
	}
	if a == ValidateAll {
		return CheckPresence(ctx, host, inv.Resource)
	}
	return Decide(a, invocation.Run(ctx, cmd, act, inv, host, s))
}

// resolveFailure maps a failed resolution: a definition wrong everywhere is
// OCF_ERR_CONFIGURED (Pacemaker stops the resource on every node); a file of the
// definition missing or unreadable on this node only (the resource file, the FTP
// password file) is OCF_ERR_INSTALLED (this node is avoided, others may run it); running
// out of time while reading is OCF_ERR_GENERIC. The reason calls every setting by its
// parameter's name.
func resolveFailure(err error) Result {
	reason := invocation.Message(err, ParamName)
	switch invocation.Classify(err) {
	case invocation.NodeLocal:
		return Fail(ErrInstalled, "%s", reason)
	case invocation.Interrupted:
		return Fail(ErrGeneric, "%s", reason)
	}
	return Fail(ErrConfigured, "%s", reason)
}

// report writes the one ocf-exit-reason line of a result that is not a success and
// returns its exit code.
func report(s invocation.Streams, r Result) int {
	if r.Code != Success && r.Reason != "" {
		fmt.Fprintf(s.Stderr, "ocf-exit-reason:%s\n", r.Reason)
	}
	return int(r.Code)
}

// runInstall writes DIR/iiskit/iis, the agent: a script any user may run that execs this
// binary, by its absolute path, with `ocf ACTION`.
func runInstall(args []string, s invocation.Streams) int {
	fs := flag.NewFlagSet("ocf install", flag.ContinueOnError)
	dir := fs.String("dir", DefaultDir, "install into `DIR`/iiskit/iis (the OCF resource.d folder)")
	help := *InstallHelp
	help.Flags = []usage.Group{{Title: "Flags", Flags: usage.Flags(fs)}}
	if err := help.Parse(fs, args, s.Stdout, s.Stderr); err != nil {
		return usage.Status(err)
	}
	if fs.NArg() > 0 {
		return usage.Status(help.Fail(s.Stderr, fmt.Errorf("unexpected argument %q", fs.Arg(0))))
	}
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err == nil {
		exe, err = filepath.Abs(exe)
	}
	if err != nil {
		fmt.Fprintf(s.Stderr, "iiskit ocf install: finding this program's path: %v\n", err)
		return 1
	}
	if inBuildCache(exe, s.Getenv("GOCACHE")) {
		fmt.Fprintf(s.Stderr, "iiskit ocf install: this iiskit runs from Go's build folder (%s), which Go removes when the command ends:\n"+
			"the agent would run a program that no longer exists. Build and install iiskit first, then install the agent with it:\n"+
			"  go build -trimpath -o /usr/local/bin/iiskit ./cmd/iiskit && /usr/local/bin/iiskit ocf install\n", exe)
		return 2
	}
	path, err := installAgent(*dir, exe)
	if err != nil {
		fmt.Fprintf(s.Stderr, "iiskit ocf install: %v\n", err)
		return 1
	}
	fmt.Fprintf(s.Stdout, "installed ocf:%s:%s at %s (runs %s)\n", Provider, Agent, path, exe)
	if fi, err := os.Stat(exe); err == nil && fi.Mode().Perm()&0o001 == 0 {
		fmt.Fprintf(s.Stderr, "iiskit ocf install: warning: %s is not executable by every user (mode %v)\n", exe, fi.Mode().Perm())
	}
	return 0
}

// inBuildCache reports whether exe is a binary that `go run` or `go test` built in a
// temporary go-build folder, or that lives in Go's build cache (gocache, else its default
// place): Go removes or recycles those, so an agent must never point there.
func inBuildCache(exe, gocache string) bool {
	for _, part := range strings.Split(filepath.ToSlash(exe), "/") {
		if strings.HasPrefix(part, "go-build") {
			return true
		}
	}
	if gocache == "" {
		if dir, err := os.UserCacheDir(); err == nil {
			gocache = filepath.Join(dir, "go-build")
		}
	}
	if gocache == "" || gocache == "off" {
		return false
	}
	rel, err := filepath.Rel(gocache, exe)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// installAgent writes the agent script for exe under dir atomically (a temporary file
// renamed into place), mode 0755 whatever the umask.
func installAgent(dir, exe string) (string, error) {
	folder := filepath.Join(dir, Provider)
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return "", fmt.Errorf("creating %s: %w", folder, err)
	}
	path := filepath.Join(folder, Agent)
	tmp, err := os.CreateTemp(folder, "."+Agent+".*")
	if err != nil {
		return "", fmt.Errorf("writing the agent in %s: %w", folder, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	if _, err := tmp.Write(AgentScript(exe)); err != nil {
		tmp.Close()
		return "", fmt.Errorf("writing %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("writing %s: %w", tmp.Name(), err)
	}
	if err := os.Chmod(tmp.Name(), 0o755); err != nil {
		return "", fmt.Errorf("making %s executable: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("installing %s: %w", path, err)
	}
	return path, nil
}
