package invocation

import (
	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/resource"
	"github.com/iiskit/iiskit/internal/usage"
)

// actionSummaries are the actions' one-line descriptions, for their help.
var actionSummaries = map[string]string{
	action.NameQuickCheck: "check that the site's service is not stopped and the site exists and is not stopped (rules Q)",
	action.NameDeepCheck:  "check as quickcheck does, then probe every binding of the site: HTTP request, FTP login (rules D)",
	action.NameRestore:    "bring the site into service: start its service if needed, then the site (rules R)",
	action.NameRemove:     "take the site out of service: stop the site and wait until it is stopped (rules M)",
	action.NameRecover:    "recover the site locally: start its service again if needed and wait for the site (rules C)",
}

// ActionNames are the five actions, in help order.
var ActionNames = []string{action.NameQuickCheck, action.NameDeepCheck, action.NameRestore, action.NameRemove, action.NameRecover}

// ActionHelp is the help of the action called name (quickcheck ... recover).
func ActionHelp(name string) *usage.Command {
	return &usage.Command{
		Name:    name,
		Summary: actionSummaries[name],
		Usage:   []string{"iiskit " + name + " --tag TAG [--site NAME --type W3|FTP|SMTP | --config FILE] [flags]"},
		Text: "Exit status: 0 success, 1 failure (the events say why), 2 the command line or the\n" +
			"resource definition is wrong (nothing was changed).",
		Flags: FlagGroups(nil),
		Examples: []string{
			"iiskit " + name + ` --tag iis-www1 --site "Default Web Site" --type W3`,
			"iiskit " + name + " --tag iis-www1 --config resources.toml --json",
		},
	}
}

// FlagGroups are the actions' flags for a help, as their flag set spells them: the
// resource's (the option table's), then the common settings. extra, when given, comes
// first (a command's own flags).
func FlagGroups(extra []usage.Flag) []usage.Group {
	fs, _ := NewFlagSet("help", Streams{Getenv: func(string) string { return "" }})
	var res, common []string
	for _, o := range resource.OptionTable {
		if o.Where&resource.InFlag != 0 {
			res = append(res, o.Flag)
		}
	}
	for _, st := range SettingTable {
		common = append(common, st.Flag)
	}
	var g []usage.Group
	if len(extra) > 0 {
		g = append(g, usage.Group{Title: "Flags", Flags: extra})
	}
	return append(g,
		usage.Group{Title: "Resource flags", Flags: usage.Flags(fs, res...)},
		usage.Group{Title: "Common flags", Flags: usage.Flags(fs, common...)})
}

// Placeholder names a table flag's value in the help by its kind.
func (v *flagValue) Placeholder() string { return kindName[v.kind] }
