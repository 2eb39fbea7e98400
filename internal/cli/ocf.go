package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/iiskit/iiskit/internal/adapter/ocf"
	"github.com/iiskit/iiskit/internal/platform"
)

// runOCF runs `iiskit ocf ACTION`, the agent ocf:iiskit:iis, and `iiskit ocf install`.
// Its exit status is an OCF exit code.
func runOCF(ctx context.Context, args []string, s Streams) int {
	if len(args) > 0 && args[0] == "install" {
		return runOCFInstall(args[1:], s)
	}
	name := ""
	if len(args) > 0 {
		name = args[0]
	}
	a, err := ocf.ParseAction(name)
	if err != nil {
		return reportOCF(s, ocf.Fail(ocf.ErrUnimplemented, "%v", err))
	}
	if a == ocf.MetaData {
		xml, err := ocf.MetaDataXML(version())
		if err != nil {
			return reportOCF(s, ocf.Fail(ocf.ErrGeneric, "%v", err))
		}
		_, _ = s.Stdout.Write(xml)
		return int(ocf.Success)
	}
	return reportOCF(s, runOCFAction(ctx, a, s))
}

// runOCFAction turns the OCF environment into the action's flags, checks the definition
// and the platform through the same path the action commands take, runs the action and
// lets the adapter map its events.
func runOCFAction(ctx context.Context, a ocf.Action, s Streams) ocf.Result {
	level, warning := ocf.ParseLevel(s.Getenv("OCF_CHECK_LEVEL"))
	if warning != "" {
		fmt.Fprintf(s.Stderr, "iiskit ocf %s: %s\n", a, warning)
	}
	args, err := ocf.Flags(s.Getenv)
	if err != nil {
		return ocf.Fail(ocf.ErrConfigured, "%v", err)
	}
	timeout, set, err := ocf.Deadline(s.Getenv("OCF_RESKEY_CRM_meta_timeout"))
	if err != nil {
		return ocf.Fail(ocf.ErrConfigured, "%v", err)
	}
	if set {
		args = append(args, "--timeout="+timeout.String())
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	cmd := ocf.Command(a, level)

	// The definition, through the one flag and resource path: errors are OCF_ERR_CONFIGURED.
	// Flag messages are quiet here; the error carries them.
	quiet := Streams{Getenv: s.Getenv, Stdout: io.Discard, Stderr: io.Discard}
	f, err := parseActionFlags("ocf "+string(a), args, quiet)
	if err != nil {
		return ocf.Fail(ocf.ErrConfigured, "%s", ocfReason(err))
	}
	res, _, err := f.resource(ctx, s.Getenv)
	switch {
	case err != nil && ctx.Err() != nil:
		// Out of time (or signalled) while reading the resource file: not a bad definition.
		return ocf.Fail(ocf.ErrGeneric, "%v", err)
	case err != nil:
		return ocf.Fail(ocf.ErrConfigured, "%s", ocfReason(err))
	}
	if a == ocf.ValidateAll && level < ocf.Deep {
		return ocf.Result{Code: ocf.Success}
	}

	// The platform once before the action (which builds its own again): only here can
	// the agent tell a missing prerequisite (IIS absent: 5) from a bad platform name (6)
	// and an unreachable host (1); the action reports all three as an exit status and a
	// message. It also answers the question Decide may ask (is the service installed?).
	host, err := newHost(ctx, f.platform, f.lab)
	switch {
	case errors.Is(err, platform.ErrPrerequisite):
		// Also for stop: a prerequisite covers "IIS is not installed" and "not elevated",
		// and in the second case the site may be serving, so stop cannot report it
		// stopped. Pacemaker needs no stop where the probe already said 5.
		return ocf.Fail(ocf.ErrInstalled, "%v", err)
	case platformUsageError(err):
		return ocf.Fail(ocf.ErrConfigured, "%s", ocfReason(err))
	case err != nil:
		return ocf.Fail(ocf.ErrGeneric, "%v", err)
	}
	if a == ocf.ValidateAll {
		return ocf.CheckPresence(ctx, host, res)
	}

	return ocf.Decide(a, runActionOutcome(ctx, cmd, args, s))
}

// ocfReason is err as the agent reports it: a bad flag (every flag the agent passes comes
// from a parameter) is named by its parameter, the name the administrator set.
func ocfReason(err error) string {
	var fe *flagError
	if errors.As(err, &fe) {
		return fe.namedBy(func(flag string) string {
			if p, ok := ocf.ParamOf(flag); ok {
				return p
			}
			return "--" + flag // --timeout, which comes from CRM_meta_timeout, checked before
		})
	}
	return strings.TrimPrefix(err.Error(), errReported.Error()+": ")
}

// reportOCF writes the one ocf-exit-reason line of a result that is not a success and
// returns its exit code.
func reportOCF(s Streams, r ocf.Result) int {
	if r.Code != ocf.Success && r.Reason != "" {
		fmt.Fprintf(s.Stderr, "ocf-exit-reason:%s\n", r.Reason)
	}
	return int(r.Code)
}

// runOCFInstall writes DIR/iiskit/iis, the agent: a script any user may run that execs
// this binary, by its absolute path, with `ocf ACTION`.
func runOCFInstall(args []string, s Streams) int {
	fs := flag.NewFlagSet("ocf install", flag.ContinueOnError)
	fs.SetOutput(s.Stderr)
	dir := fs.String("dir", ocf.DefaultDir, "the OCF resource.d folder")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(s.Stderr, "iiskit ocf install: unexpected argument %q\n", fs.Arg(0))
		return 2
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
	path, err := installAgent(*dir, exe)
	if err != nil {
		fmt.Fprintf(s.Stderr, "iiskit ocf install: %v\n", err)
		return 1
	}
	fmt.Fprintf(s.Stdout, "installed ocf:%s:%s at %s (runs %s)\n", ocf.Provider, ocf.Agent, path, exe)
	if fi, err := os.Stat(exe); err == nil && fi.Mode().Perm()&0o001 == 0 {
		fmt.Fprintf(s.Stderr, "iiskit ocf install: warning: %s is not executable by every user (mode %v)\n", exe, fi.Mode().Perm())
	}
	return 0
}

// installAgent writes the agent script for exe under dir atomically (a temporary file
// renamed into place), mode 0755 whatever the umask.
func installAgent(dir, exe string) (string, error) {
	folder := filepath.Join(dir, ocf.Provider)
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return "", fmt.Errorf("creating %s: %w", folder, err)
	}
	path := filepath.Join(folder, ocf.Agent)
	tmp, err := os.CreateTemp(folder, "."+ocf.Agent+".*")
	if err != nil {
		return "", fmt.Errorf("writing the agent in %s: %w", folder, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	if _, err := tmp.Write(ocf.AgentScript(exe)); err != nil {
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
