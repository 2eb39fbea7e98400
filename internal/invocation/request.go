package invocation

import (
	"flag"
	"fmt"
	"strings"

	"github.com/iiskit/iiskit/internal/resource"
	"github.com/iiskit/iiskit/internal/usage"
)

// ErrReported marks a command-line error already printed, with the pointer at the help
// (usage.ErrReported).
var ErrReported = usage.ErrReported

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
	return fs, req
}

// kindName names a table flag's value in the help (Placeholder), as the flag package
// names its own flags' values.
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

// ParseFlags reads the command line of the action called name (ParseCommand with its
// help, ActionHelp).
func ParseFlags(name string, args []string, s Streams) (*Request, error) {
	return ParseCommand(ActionHelp(name), args, s)
}

// ParseCommand reads a command line of the actions' flags for the command c: -h writes c's
// help on s.Stdout and returns flag.ErrHelp; a flag the set does not know, or a value a
// flag refuses, is printed on s.Stderr (c.Fail) and returned wrapping ErrReported. The
// other errors (an argument, a missing tag, a bad setting) are returned unprinted, for the
// caller to report in its words (Fail, for the command line).
func ParseCommand(c *usage.Command, args []string, s Streams) (*Request, error) {
	fs, req := NewFlagSet(c.Name, s)
	if err := c.Parse(fs, args, s.Stdout, s.Stderr); err != nil {
		return nil, err
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
