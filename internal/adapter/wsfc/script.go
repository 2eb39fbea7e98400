package wsfc

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"text/template"
	"time"
)

// PendingTimeout is WSFC's default PendingTimeout: an Online or Offline that takes longer
// fails the resource.
const PendingTimeout = 3 * time.Minute

// DefaultChangeTimeout is the deadline the script gives restore and remove when the
// administrator gives none: iiskit's own default, well inside PendingTimeout, so iiskit
// fails with its events (9408, 9556) before the cluster gives up on the entry point.
const DefaultChangeTimeout = 2 * time.Minute

// PercentVar is the process environment variable, set to "%", that the script writes every
// percent sign of a command line as where WScript.Shell's Run expands %NAME% (Windows
// documents that it does): %PercentVar% expands back to a percent sign, so no %NAME% in a
// site name is ever expanded.
const PercentVar = "IISKIT_PCT"

// Exit statuses of `iiskit wsfc runcheck %SystemRoot%`, which the script runs once to learn
// whether Run expands %NAME% in a command line.
const (
	RunCheckLiteral  = 20 // the argument arrived as written: Run does not expand
	RunCheckExpanded = 21 // it arrived changed: Run expanded %SystemRoot%
)

// Options describe the script of one resource.
type Options struct {
	// Tag is the resource's tag, for the cluster log's messages.
	Tag string
	// Exe is iiskit.exe's path on the cluster nodes; empty means where the MSI puts it,
	// %ProgramFiles%\iiskit\iiskit.exe, read from the node's environment.
	Exe string
	// Args are the arguments every command carries after the action: --tag, the resource
	// flags and the common flags, each one argument (e.g. "--site=Default Web Site").
	// They must not hold --timeout: that is Timeout.
	Args []string
	// Timeout is the --timeout given to the generator, zero when none was: then restore
	// and remove get DefaultChangeTimeout and the checks keep iiskit's default.
	Timeout time.Duration
	// Version is the generating iiskit's version, written in the header.
	Version string
}

//go:embed script.vbs.tmpl
var scriptText string

// scriptTmpl is parsed on first use: a check run from the same executable never pays
// for it.
var scriptTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("script.vbs").Parse(scriptText))
})

// scriptData are the template's values, every one already a VBScript expression.
type scriptData struct {
	Version                  string
	Tag, Exe                 string
	Restore, Remove          string
	QuickCheck, DeepCheck    string
	PendingTimeout, Deadline string
	PercentVar               string
	RunCheckLiteral          int
}

// Write writes the Generic Script for o to w. It fails on a timeout that does not fit in
// WSFC's pending timeout, on a program path that cannot be quoted, and on text that is
// not UTF-8.
func Write(w io.Writer, o Options) error {
	if o.Timeout >= PendingTimeout {
		return fmt.Errorf("--timeout %s does not fit in WSFC's pending timeout (%s): Online and Offline must end before it", o.Timeout, PendingTimeout)
	}
	for _, a := range o.Args {
		if strings.HasPrefix(a, "--timeout") || strings.HasPrefix(a, "-timeout") {
			return errors.New("the timeout goes in Options.Timeout, not in Args")
		}
	}
	if o.Exe != "" {
		if _, err := QuoteProgram(o.Exe); err != nil {
			return fmt.Errorf("--exe: %w", err)
		}
	}
	change, check := DefaultChangeTimeout, time.Duration(0)
	if o.Timeout > 0 {
		change, check = o.Timeout, o.Timeout
	}
	d := scriptData{
		Version:         strings.Map(printableASCII, o.Version),
		PendingTimeout:  PendingTimeout.String(),
		PercentVar:      PercentVar,
		RunCheckLiteral: RunCheckLiteral,
		Deadline:        change.String(),
	}
	var err error
	lit := func(dst *string, s string) {
		if err == nil {
			if *dst, err = Literal(s); err != nil {
				err = fmt.Errorf("%q: %w", s, err)
			}
		}
	}
	lit(&d.Tag, o.Tag)
	lit(&d.Exe, o.Exe)
	lit(&d.Restore, command("restore", o.Args, change))
	lit(&d.Remove, command("remove", o.Args, change))
	lit(&d.QuickCheck, command("quickcheck", o.Args, check))
	lit(&d.DeepCheck, command("deepcheck", o.Args, check))
	if err != nil {
		return err
	}
	var b strings.Builder
	if err := scriptTmpl().Execute(&b, d); err != nil {
		return err
	}
	// Windows Script Host reads either line ending; CRLF keeps the file a normal
	// Windows text file for the administrators who open it.
	_, err = io.WriteString(w, strings.ReplaceAll(b.String(), "\n", "\r\n"))
	return err
}

// command is the quoted command line after the program name for one action.
func command(action string, args []string, timeout time.Duration) string {
	argv := append([]string{action}, args...)
	if timeout > 0 {
		argv = append(argv, "--timeout="+timeout.String())
	}
	return CommandLine(argv)
}

// printableASCII keeps a header line a comment: anything else becomes '?'.
func printableASCII(r rune) rune {
	if r >= 0x20 && r < 0x7f {
		return r
	}
	return '?'
}
