// Package usage writes every iiskit command's help (-h, --help) and usage errors the same
// way: help on stdout with exit 0, a usage error in at most a few lines on stderr that end
// by pointing at the help, never the whole flag list.
package usage

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Flag is one flag as the help shows it.
type Flag struct {
	// Name is the flag without dashes; the help spells it --name.
	Name string
	// Arg names the value ("FILE", "duration"); empty for a flag that takes none.
	Arg string
	// Doc is the one-line documentation; Default the value without the flag ("" for none).
	Doc, Default string
}

// Group is a titled list of flags ("Flags", "Resource flags", "Common flags").
type Group struct {
	Title string
	Flags []Flag
}

// Command is one command's help: what it does in one line, its synopsis, notes, its
// flags and examples.
type Command struct {
	// Name is the command after "iiskit " ("quickcheck", "lab site"); empty for iiskit
	// itself.
	Name string
	// Summary is one line: what the command does.
	Summary string
	// Usage are the synopsis lines, each a whole command line from "iiskit"; the first is
	// repeated by a usage error.
	Usage []string
	// Text is optional prose after the synopsis (exit statuses, environment).
	Text string
	// Flags are the flags in groups, in help order.
	Flags []Group
	// Examples are command lines that run as shown (a "#" comment may follow one).
	Examples []string
}

// HelpRef is the pointer at the help every usage error ends with.
func (c *Command) HelpRef() string { return "see " + c.full() + " -h" }

// full is the command as typed: "iiskit NAME" ("iiskit" for the program itself).
func (c *Command) full() string { return strings.TrimSpace("iiskit " + c.Name) }

// Write writes the help.
func (c *Command) Write(w io.Writer) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n\nUsage:\n", c.full(), c.Summary)
	for _, u := range c.Usage {
		fmt.Fprintf(&b, "  %s\n", u)
	}
	if t := strings.TrimRight(c.Text, "\n"); t != "" {
		fmt.Fprintf(&b, "\n%s\n", t)
	}
	for _, g := range c.Flags {
		if len(g.Flags) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s:\n", g.Title)
		tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		for _, f := range g.Flags {
			spell := "--" + f.Name
			if f.Arg != "" {
				spell += " " + f.Arg
			}
			doc := f.Doc
			if f.Default != "" && !strings.Contains(doc, "(default") {
				doc += " (default " + f.Default + ")"
			}
			fmt.Fprintf(tw, "  %s\t%s\n", spell, doc)
		}
		tw.Flush()
	}
	if len(c.Examples) > 0 {
		title := "Example"
		if len(c.Examples) > 1 {
			title = "Examples"
		}
		fmt.Fprintf(&b, "\n%s:\n", title)
		for _, e := range c.Examples {
			fmt.Fprintf(&b, "  %s\n", e)
		}
	}
	_, _ = io.WriteString(w, b.String())
}

// Fail writes the usage error err: "iiskit NAME: err", then the first synopsis line and
// the pointer at the help. It returns ErrReported wrapping err.
func (c *Command) Fail(w io.Writer, err error) error {
	fmt.Fprintf(w, "%s: %v\n%s\n", c.full(), err, c.Short())
	return fmt.Errorf("%w: %w", ErrReported, err)
}

// Short is the last line of a usage error: the synopsis and the pointer at the help.
func (c *Command) Short() string {
	u := ""
	if len(c.Usage) > 0 {
		u = c.Usage[0]
	}
	return "usage: " + u + "; " + c.HelpRef()
}

// ErrReported marks a usage error already written (Fail); flag.ErrHelp marks a help
// already written.
var ErrReported = errors.New("usage error reported")

// Parse parses args into fs, whose own output is silenced: -h or --help writes the help on
// stdout and returns flag.ErrHelp; a flag error is written by Fail on stderr and returned
// (wrapping ErrReported). Status turns either into an exit status.
func (c *Command) Parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		c.Write(stdout)
		return flag.ErrHelp
	}
	return c.Fail(stderr, err)
}

// Status is the exit status of an error from Parse or Fail: 0 after the help, else 2.
func Status(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}

// IsHelp reports whether arg asks for help: -h, --help or -help.
func IsHelp(arg string) bool {
	switch arg {
	case "-h", "--h", "-help", "--help":
		return true
	}
	return false
}

// WantsHelp reports whether any of args before a "--" asks for help.
func WantsHelp(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if IsHelp(a) {
			return true
		}
	}
	return false
}

// Placeholder is implemented by a flag.Value that names its value for the help ("FILE",
// "duration"); without it the flag package's own name is used (UnquoteUsage).
type Placeholder interface {
	Placeholder() string
}

// Flags describes fs's flags for the help: those named, in that order, or every flag in
// the flag package's order when none is named. A name fs does not have is skipped.
func Flags(fs *flag.FlagSet, names ...string) []Flag {
	var out []Flag
	add := func(f *flag.Flag) {
		arg, doc := flag.UnquoteUsage(f)
		if p, ok := f.Value.(Placeholder); ok {
			arg = p.Placeholder()
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			arg = ""
		}
		def := f.DefValue
		switch def {
		case "false", "0", "0s":
			def = ""
		}
		if def != "" && arg != "" && strings.ContainsAny(def, " \t") {
			def = fmt.Sprintf("%q", def)
		}
		out = append(out, Flag{Name: f.Name, Arg: arg, Doc: doc, Default: def})
	}
	if len(names) == 0 {
		fs.VisitAll(add)
		return out
	}
	for _, n := range names {
		if f := fs.Lookup(n); f != nil {
			add(f)
		}
	}
	return out
}

// Family is the help of a command with subcommands (lab, wsfc, ocf ...): their synopses,
// one line each of what they do, and examples. subs' names start with name.
func Family(name, summary string, subs []*Command, examples ...string) *Command {
	c := &Command{Name: name, Summary: summary, Examples: examples}
	words := make([]string, len(subs))
	for i, s := range subs {
		words[i] = strings.TrimPrefix(s.Name, name+" ")
	}
	c.Usage = []string{c.full() + " " + strings.Join(words, "|") + " ..."}
	var b strings.Builder
	b.WriteString("Commands:\n")
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, s := range subs {
		c.Usage = append(c.Usage, s.Usage...)
		fmt.Fprintf(tw, "  %s\t%s\n", strings.TrimPrefix(s.Name, name+" "), s.Summary)
	}
	tw.Flush()
	fmt.Fprintf(&b, "Run \"%s COMMAND -h\" for a command's flags and examples.", c.full())
	c.Text = b.String()
	return c
}

// Sub returns the subcommand of subs called name (its last word), or nil.
func Sub(subs []*Command, name string) *Command {
	for _, s := range subs {
		if i := strings.LastIndexByte(s.Name, ' '); i >= 0 && s.Name[i+1:] == name {
			return s
		}
	}
	return nil
}
