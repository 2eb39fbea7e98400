package invocation

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/iiskit/iiskit/internal/resource"
)

// ErrReported marks a command-line error the flag package has already printed with the
// usage.
var ErrReported = errors.New("flag error already reported")

// Request is what an entry point was given, before anything is resolved: the textual
// values of the options (resource.OptionTable) and settings (SettingTable) set, by key.
// A list option holds every item given; any other key its last value.
type Request struct {
	vals map[string][]string
	// ForRemove marks a request for remove (an OCF stop), the one action that neither
	// logs in nor validates a login: it does not read the FTP password, so a password
	// file missing on this node cannot keep a site from being taken out of service.
	ForRemove bool
}

// NewRequest returns an empty request.
func NewRequest() *Request { return &Request{vals: map[string][]string{}} }

// Set gives key its values (for a list option, its items; otherwise one value).
func (r *Request) Set(key string, vals ...string) { r.vals[key] = vals }

// Given reports whether key was set.
func (r *Request) Given(key string) bool {
	_, ok := r.vals[key]
	return ok
}

// Value is key's last value given; "" when not given.
func (r *Request) Value(key string) string {
	v := r.vals[key]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// Values are key's values given.
func (r *Request) Values(key string) []string { return r.vals[key] }

// flagValue is one flag of the table: it keeps the text given, for Resolve to read (so a
// value is checked, and named, the same way whatever the entry point). A Bool is a flag
// that needs no value; a List may be given once per item.
type flagValue struct {
	req  *Request
	key  string
	kind resource.Kind
	def  string
}

func (v *flagValue) String() string {
	if v == nil || v.req == nil {
		return ""
	}
	if vals, ok := v.req.vals[v.key]; ok {
		return strings.Join(vals, ",")
	}
	return v.def
}

func (v *flagValue) Set(s string) error {
	if v.kind == resource.Bool {
		if _, err := resource.ParseBool(s); err != nil {
			return err
		}
	}
	if v.kind == resource.List {
		v.req.vals[v.key] = append(v.req.vals[v.key], s)
		return nil
	}
	v.req.vals[v.key] = []string{s}
	return nil
}

// IsBoolFlag tells the flag package (and the script generators) that a Bool flag takes no
// value.
func (v *flagValue) IsBoolFlag() bool { return v.kind == resource.Bool }

// NewFlagSet builds the actions' flags from the option and setting tables; parsing it
// fills the returned Request.
func NewFlagSet(name string, s Streams) (*flag.FlagSet, *Request) {
	req := NewRequest()
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(s.Stderr)
	for i := range resource.OptionTable {
		o := &resource.OptionTable[i]
		if o.Where&resource.InFlag == 0 {
			continue
		}
		fs.Var(&flagValue{req: req, key: o.Key, kind: o.Kind, def: o.Default}, o.Flag, usageOf(o.Doc, o.Kind))
	}
	for i := range SettingTable {
		st := &SettingTable[i]
		fs.Var(&flagValue{req: req, key: st.Key, kind: st.Kind, def: st.DefaultValue(s.Getenv)}, st.Flag, usageOf(st.Doc, st.Kind))
	}
	fs.Usage = func() { printDefaults(fs, name) }
	return fs, req
}

// printDefaults is the flag package's help, with each flag's type named by its kind (the
// flag package would call every table flag a "value").
func printDefaults(fs *flag.FlagSet, name string) {
	out := fs.Output()
	fmt.Fprintf(out, "Usage of %s:\n", name)
	fs.VisitAll(func(f *flag.Flag) {
		var b strings.Builder
		fmt.Fprintf(&b, "  -%s", f.Name)
		var t string
		quote := false
		if v, ok := f.Value.(*flagValue); ok {
			t = kindName[v.kind]
			quote = v.kind == resource.String || v.kind == resource.Enum
		} else {
			// A command's own flag (flag.String, flag.Bool ...): the flag package's name.
			t, _ = flag.UnquoteUsage(f)
			quote = t == "string"
		}
		if t != "" {
			b.WriteString(" " + t)
		}
		if b.Len() <= 4 {
			b.WriteString("\t")
		} else {
			b.WriteString("\n    \t")
		}
		b.WriteString(strings.ReplaceAll(f.Usage, "\n", "\n    \t"))
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			if quote {
				fmt.Fprintf(&b, " (default %q)", f.DefValue)
			} else {
				fmt.Fprintf(&b, " (default %v)", f.DefValue)
			}
		}
		fmt.Fprintln(out, b.String())
	})
}

var kindName = map[resource.Kind]string{
	resource.String: "string", resource.Enum: "string", resource.Int: "int",
	resource.Duration: "duration", resource.List: "string",
}

// usageOf is a flag's help line; a list flag says it repeats.
func usageOf(doc string, k resource.Kind) string {
	if k == resource.List {
		return doc + " (repeat the flag for each)"
	}
	return doc
}

// IsBoolFlag reports whether the flag named name (without dashes) of fs takes no value.
func IsBoolFlag(fs *flag.FlagSet, name string) bool {
	f := fs.Lookup(name)
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// IsPath reports whether the flag named name carries a file path.
func IsPath(name string) bool {
	for _, o := range resource.OptionTable {
		if o.Flag == name {
			return o.Path
		}
	}
	for _, st := range SettingTable {
		if st.Flag == name {
			return st.Path
		}
	}
	return false
}

// ParseFlags reads an action's command line. A flag error is printed by the flag package
// with the usage and returned wrapping ErrReported (flag.ErrHelp for -h).
func ParseFlags(name string, args []string, s Streams) (*Request, error) {
	fs, req := NewFlagSet(name, s)
	if err := fs.Parse(args); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrReported, err)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (every setting is a flag)", fs.Arg(0))
	}
	if strings.TrimSpace(req.Value("tag")) == "" {
		return nil, badKeys(func(n []string) string { return n[0] + " is required" }, "tag")
	}
	// The common settings now, so a bad one is refused with the command line's other
	// mistakes, before anything is read (Resolve reads them again, the same way).
	if _, err := ResolveSettings(req, s.Getenv); err != nil {
		return nil, err
	}
	return req, nil
}

func optionByKey(key string) (*resource.Option, bool) { return resource.OptionByKey(key) }
