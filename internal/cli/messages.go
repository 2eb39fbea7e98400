package cli

import (
	"encoding/json"
	"flag"
	"fmt"

	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/usage"
)

// messagesHelp is `iiskit messages -h`.
var messagesHelp = &usage.Command{
	Name:     "messages",
	Summary:  "print the event catalogue: every numbered message with its severity and text",
	Usage:    []string{"iiskit messages [--json]"},
	Examples: []string{"iiskit messages", "iiskit messages --json"},
}

// runMessages prints the event catalogue: "ID Severity Text" lines, or one JSON object per
// line with --json.
func runMessages(args []string, s Streams) int {
	fs := flag.NewFlagSet("messages", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "one JSON object per message: id, severity, text")
	if err := parseCommand(messagesHelp, fs, args, s); err != nil {
		return usage.Status(err)
	}
	for _, m := range event.Catalog() {
		if *asJSON {
			b, err := json.Marshal(m)
			if err != nil {
				fmt.Fprintf(s.Stderr, "iiskit messages: %v\n", err)
				return 1
			}
			fmt.Fprintf(s.Stdout, "%s\n", b)
			continue
		}
		fmt.Fprintf(s.Stdout, "%d %-11s %s\n", m.ID, m.Severity, m.Text)
	}
	return 0
}

// parseCommand parses args into fs for the command help, whose help lists fs's flags:
// -h is the help on stdout, a flag error or an argument (none of these commands takes
// one) is a usage error (help.Fail).
func parseCommand(help *usage.Command, fs *flag.FlagSet, args []string, s Streams) error {
	h := *help
	h.Flags = []usage.Group{{Title: "Flags", Flags: usage.Flags(fs)}}
	if err := h.Parse(fs, args, s.Stdout, s.Stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return h.Fail(s.Stderr, fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	return nil
}
