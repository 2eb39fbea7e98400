// Package cli is iiskit's command line (CLI.md): a dispatcher to the command families,
// which live beside their packages (the actions in package invocation, the OCF agent and
// the script generators with their adapters, the watch daemon in watch/watchcmd). It
// decides nothing the SPEC decides.
package cli

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/iiskit/iiskit/internal/adapter/lifekeeper"
	"github.com/iiskit/iiskit/internal/adapter/nagios"
	"github.com/iiskit/iiskit/internal/adapter/ocf"
	"github.com/iiskit/iiskit/internal/adapter/wsfc"
	"github.com/iiskit/iiskit/internal/doctor"
	"github.com/iiskit/iiskit/internal/invocation"
	"github.com/iiskit/iiskit/internal/usage"
	"github.com/iiskit/iiskit/internal/watch/watchcmd"
)

// Streams are a command's environment: its variables and output streams.
type Streams = invocation.Streams

// command is one command of the dispatcher: its help, its run and its subcommands.
type command struct {
	name string
	help func() *usage.Command
	run  func(ctx context.Context, args []string, s Streams) int
	// subs are the subcommands, each of which answers -h with its own help.
	subs []string
}

// commands is the dispatcher: every command iiskit has, in help order.
func commands() []command {
	var cs []command
	for _, name := range invocation.ActionNames {
		cs = append(cs, command{name: name, help: func() *usage.Command { return invocation.ActionHelp(name) },
			run: func(ctx context.Context, args []string, s Streams) int { return invocation.Main(ctx, name, args, s) }})
	}
	ocfSubs := []string{"install"}
	for _, a := range ocf.ActionNames {
		ocfSubs = append(ocfSubs, string(a))
	}
	return append(cs,
		command{name: "pollsite", help: func() *usage.Command { return pollSiteHelp }, run: runPollSite},
		command{name: "messages", help: func() *usage.Command { return messagesHelp },
			run: func(_ context.Context, args []string, s Streams) int { return runMessages(args, s) }},
		command{name: "version", help: func() *usage.Command { return versionHelp },
			run: func(_ context.Context, args []string, s Streams) int { return runVersion(args, s) }},
		command{name: "demo", help: func() *usage.Command { return demoHelp }, run: runDemo},
		command{name: "lab", help: labHelp, run: runLab, subs: labVerbs()},
		command{name: "nagios", help: func() *usage.Command { return nagios.Help }, run: nagios.Main},
		command{name: "eventlog", help: func() *usage.Command { return eventlogHelp }, subs: names(eventlogSubs...),
			run: func(_ context.Context, args []string, s Streams) int { return runEventlog(args, s) }},
		command{name: "lifekeeper", help: func() *usage.Command { return lifekeeper.Help }, subs: names(lifekeeper.ScriptsHelp),
			run: func(_ context.Context, args []string, s Streams) int { return lifekeeper.Main(args, s, version()) }},
		command{name: "wsfc", help: func() *usage.Command { return wsfc.Help }, subs: names(wsfc.ScriptHelp, wsfc.RunCheckHelp),
			run: func(_ context.Context, args []string, s Streams) int { return wsfc.Main(args, s, version()) }},
		command{name: "ocf", help: ocf.Help, subs: ocfSubs,
			run: func(ctx context.Context, args []string, s Streams) int { return ocf.Main(ctx, args, s, version()) }},
		command{name: "doctor", help: func() *usage.Command { return doctor.Help },
			run: func(ctx context.Context, args []string, s Streams) int {
				return doctor.Main(ctx, args, doctor.Streams{Getenv: s.Getenv, Stdout: s.Stdout, Stderr: s.Stderr},
					doctor.Defaults{Platform: invocation.DefaultPlatform, LabURL: invocation.DefaultLabURL})
			}},
		command{name: "watch", help: func() *usage.Command { return watchcmd.Help }, run: watchcmd.Main, subs: names(watchcmd.Subs...)},
		command{name: "help", help: func() *usage.Command { return helpHelp }, run: runHelp},
	)
}

// names are the last words of the subcommands' names ("script" of "wsfc script").
func names(subs ...*usage.Command) []string {
	out := make([]string, len(subs))
	for i, s := range subs {
		out[i] = s.Name[strings.LastIndexByte(s.Name, ' ')+1:]
	}
	return out
}

// Commands are every command and subcommand iiskit answers, as typed after "iiskit"
// ("quickcheck", "lab serve"); each answers -h with its help.
func Commands() []string {
	var out []string
	for _, c := range commands() {
		out = append(out, c.name)
		for _, s := range c.subs {
			out = append(out, c.name+" "+s)
		}
	}
	return out
}

// topHelp is `iiskit -h`: every command with what it does.
func topHelp() *usage.Command {
	var b strings.Builder
	b.WriteString("Commands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-11s %s\n", c.name, c.help().Summary)
	}
	b.WriteString(`Run "iiskit COMMAND -h" for a command's usage, flags and examples.
Exit status of the actions: 0 success, 1 failure, 2 usage or definition error.`)
	return &usage.Command{
		Summary: "an IIS recovery kit for cluster managers",
		Usage:   []string{"iiskit COMMAND [ARGS] [flags]"},
		Text:    b.String(),
		Examples: []string{
			`iiskit restore --tag iis-www1 --site "Default Web Site" --type W3`,
			"iiskit quickcheck -h",
		},
	}
}

// helpHelp is `iiskit help -h`.
var helpHelp = &usage.Command{
	Name:     "help",
	Summary:  "print iiskit's commands, or one command's help",
	Usage:    []string{"iiskit help [COMMAND [SUBCOMMAND]]"},
	Examples: []string{"iiskit help", "iiskit help lab serve"},
}

// runHelp is `iiskit help [COMMAND...]`: the same help as `iiskit COMMAND... -h`.
func runHelp(ctx context.Context, args []string, s Streams) int {
	switch {
	case len(args) == 0:
		topHelp().Write(s.Stdout)
		return 0
	case usage.WantsHelp(args):
		helpHelp.Write(s.Stdout)
		return 0
	case lookup(args[0]) == nil:
		return usage.Status(helpHelp.Fail(s.Stderr, fmt.Errorf("unknown command %q", args[0])))
	}
	return Main(ctx, append(append([]string(nil), args...), "-h"), s)
}

// lookup is the command called name (leading dashes ignored), or nil.
func lookup(name string) *command {
	name = strings.TrimLeft(name, "-")
	for _, c := range commands() {
		if c.name == name {
			return &c
		}
	}
	return nil
}

// Main runs the command line args (without the program name) and returns the exit status.
// A panic, which would be a bug, becomes a message and exit status 1 rather than a crash
// whose exit status a cluster manager could misread.
func Main(ctx context.Context, args []string, s Streams) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(s.Stderr, "iiskit: internal error (please report): %v\n%s", p, debug.Stack())
			code = 1
		}
	}()
	if len(args) == 0 {
		return usage.Status(topHelp().Fail(s.Stderr, fmt.Errorf("a command is required")))
	}
	if usage.IsHelp(args[0]) || args[0] == "h" {
		topHelp().Write(s.Stdout)
		return 0
	}
	c := lookup(args[0])
	if c == nil {
		return usage.Status(topHelp().Fail(s.Stderr, fmt.Errorf("unknown command %q", args[0])))
	}
	return c.run(ctx, args[1:], s)
}
