package cli

import (
	"encoding/json"
	"flag"
	"fmt"

	"github.com/iiskit/iiskit/internal/event"
)

// runMessages prints the event catalogue: "ID Severity Text" lines, or one JSON object per
// line with --json.
func runMessages(args []string, s Streams) int {
	fs := flag.NewFlagSet("messages", flag.ContinueOnError)
	fs.SetOutput(s.Stderr)
	asJSON := fs.Bool("json", false, "one JSON object per message: id, severity, text")
	if err := fs.Parse(args); err != nil {
		return usageStatus(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(s.Stderr, "iiskit messages: unexpected argument %q\n", fs.Arg(0))
		return 2
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

// usageStatus is the exit status of a flag parse error: 0 for -h, else 2.
func usageStatus(err error) int {
	if err == flag.ErrHelp {
		return 0
	}
	return 2
}
