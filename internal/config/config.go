// Package config reads iiskit's resource file (TOML, CLI.md): defaults and one
// [[resource]] table per protected site, decoded strictly.
package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/iiskit/iiskit/internal/resource"
	"github.com/iiskit/iiskit/internal/safefile"
)

// File is a decoded resource file.
type File struct {
	// Path is the file as named on the command line.
	Path     string
	Defaults Defaults
	// Resources are in file order; tags are unique.
	Resources []Resource
	// Watch is the [watch] table over DefaultWatch (watch.go).
	Watch Watch
}

// Defaults are the [defaults] table; zero fields leave the built-in defaults in force.
type Defaults struct {
	RetryInterval time.Duration
	ProbeTimeout  time.Duration
	Timeout       time.Duration
}

// Resource is one [[resource]] table. Its FTP password is not read yet: FTP.PasswordFile
// (ftp_password_file resolved against the resource file's folder) says where it lives,
// and FTPPassword reads it.
type Resource struct {
	resource.Resource
	// Watch is the file's [watch] table with this resource's own watch keys over it.
	Watch Watch
}

// DefinitionError is a resource file that cannot be used; it names the file, the line
// and the key (SPEC S5, exit status 2).
type DefinitionError struct {
	File string
	Line int
	Key  string
	Msg  string
}

// Error returns "FILE:LINE: key KEY: MESSAGE".
func (e *DefinitionError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	// Key and Msg may quote the file: a hostile file must not make the message huge.
	if e.Key == "" {
		return loc + ": " + clip(e.Msg)
	}
	return fmt.Sprintf("%s: key %s: %s", loc, clip(e.Key), clip(e.Msg))
}

type rawFile struct {
	Defaults rawDefaults `toml:"defaults"`
	// Resource tables are decoded twice: their watch keys into rawWatch, their resource
	// options through resource.OptionTable (resolve).
	Resource []toml.Primitive `toml:"resource"`
	Watch    rawWatch         `toml:"watch"`
}

type rawDefaults struct {
	RetryInterval duration `toml:"retry_interval"`
	ProbeTimeout  duration `toml:"probe_timeout"`
	Timeout       duration `toml:"timeout"`
}

// duration reads "1s", "250ms" and rejects zero and negative values.
type duration struct{ time.Duration }

func (d *duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 1s or 250ms", b)
	}
	if v <= 0 {
		return fmt.Errorf("%q must be longer than zero", b)
	}
	d.Duration = v
	return nil
}

// Load reads and checks the resource file at path. Only a regular file of at most
// MaxFileSize bytes is read: a FIFO or a device is refused without blocking.
func Load(path string) (*File, error) {
	data, err := safefile.ReadFile(path, MaxFileSize)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) && !errors.Is(err, safefile.ErrNotRegular) {
			err = pe.Err
		}
		return nil, &FileError{Path: path, What: "the resource file", Err: err}
	}
	return Parse(path, data)
}

// FileError is a file of the definition (the resource file, an FTP password file) that is
// missing or cannot be read on this machine: unlike a DefinitionError, another cluster
// node may have it (OCF_ERR_INSTALLED rather than OCF_ERR_CONFIGURED).
type FileError struct {
	// Path is the file as named; What says which file it is.
	Path, What string
	Err        error
}

// Error returns "PATH: cannot read WHAT: CAUSE".
func (e *FileError) Error() string {
	return fmt.Sprintf("%s: cannot read %s: %v", e.Path, e.What, e.Err)
}

// Unwrap returns the cause.
func (e *FileError) Unwrap() error { return e.Err }

// LoadContext is Load under ctx: it returns ctx's error once ctx ends, so reading the file
// counts against an action's deadline. The bounds of Parse keep the work it abandons
// then to a fraction of a second, after which its goroutine ends on its own.
func LoadContext(ctx context.Context, path string) (*File, error) {
	type loaded struct {
		f   *File
		err error
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("read the resource file %s: %w", path, context.Cause(ctx))
	}
	done := make(chan loaded, 1)
	go func() {
		f, err := Load(path)
		done <- loaded{f, err}
	}()
	select {
	case l := <-done:
		return l.f, l.err
	case <-ctx.Done():
		return nil, fmt.Errorf("read the resource file %s: %w", path, context.Cause(ctx))
	}
}

// Parse decodes a resource file's contents; name is used in messages and to resolve
// relative password files. Contents over MaxFileSize, nested deeper than MaxNesting or
// with a key of more than MaxKeyParts parts are refused before decoding (see bounds.go).
func Parse(name string, data []byte) (*File, error) {
	if len(data) > MaxFileSize {
		return nil, &DefinitionError{File: name, Msg: fmt.Sprintf("the resource file is larger than %d bytes", MaxFileSize)}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if line, err := scanBounds(data); err != nil {
		return nil, &DefinitionError{File: name, Line: line, Msg: err.Error()}
	}
	var raw rawFile
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&raw)
	if err != nil {
		return nil, decodeError(name, data, err)
	}
	loc := newLocator(data)
	// Each [[resource]] table: first its watch keys, so that what stays undecoded is
	// either a resource option (decoded through the table below) or an unknown key.
	watches := make([]rawWatch, len(raw.Resource))
	for i, p := range raw.Resource {
		if err := md.PrimitiveDecode(p, &watches[i]); err != nil {
			return nil, decodeError(name, data, err)
		}
	}
	for _, k := range md.Undecoded() {
		if len(k) == 2 && k[0] == "resource" {
			if o, ok := resource.OptionByKey(k[1]); ok && o.Where&resource.InFile != 0 {
				continue
			}
		}
		return nil, &DefinitionError{File: name, Line: loc.key(k), Key: k.String(), Msg: "unknown key"}
	}
	f := &File{Path: name, Defaults: Defaults{
		RetryInterval: raw.Defaults.RetryInterval.Duration,
		ProbeTimeout:  raw.Defaults.ProbeTimeout.Duration,
		Timeout:       raw.Defaults.Timeout.Duration,
	}}
	if f.Watch, err = watchTable(name, loc, raw.Watch); err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for i, p := range raw.Resource {
		bad := func(key, msg string) error {
			return &DefinitionError{File: name, Line: loc.resourceKey(i, key), Key: "resource." + key, Msg: msg}
		}
		var table map[string]any
		if err := md.PrimitiveDecode(p, &table); err != nil {
			return nil, decodeError(name, data, err)
		}
		r, err := resolve(table, filepath.Dir(name), bad)
		if err != nil {
			return nil, err
		}
		if first, dup := seen[strings.ToLower(r.Tag)]; dup {
			return nil, bad("tag", fmt.Sprintf("duplicate tag %q (first defined in resource %d)", r.Tag, first+1))
		}
		seen[strings.ToLower(r.Tag)] = i
		if r.Watch, err = watches[i].over(f.Watch, bad); err != nil {
			return nil, err
		}
		f.Resources = append(f.Resources, r)
	}
	return f, nil
}

// resolve turns one [[resource]] table into a Resource through resource.OptionTable,
// reporting the first bad key through bad. It only reads the values; resource.Validate
// decides what a definition may hold, as it does for the command line's flags.
func resolve(table map[string]any, dir string, bad func(key, msg string) error) (Resource, error) {
	var r Resource
	for i := range resource.OptionTable {
		o := &resource.OptionTable[i]
		v, ok := table[o.Key]
		if !ok || o.Where&resource.InFile == 0 {
			continue
		}
		vals, err := tomlValues(o, v)
		if err != nil {
			return r, bad(o.Key, err.Error())
		}
		if o.Path {
			for j, p := range vals {
				if p != "" && !filepath.IsAbs(p) {
					vals[j] = filepath.Join(dir, p) // against the resource file's folder
				}
			}
		}
		if o.Kind != resource.List && vals[0] == "" {
			continue // an empty string is the key unset, as the flags read it
		}
		if err := o.Set(&r.Resource, vals); err != nil {
			return r, bad(o.Key, err.Error())
		}
	}
	if err := r.Validate(); err != nil {
		// Report the first broken rule at its key's line, as for a parse error.
		var fe *resource.FieldError
		if errors.As(err, &fe) {
			return r, bad(fe.Key, fe.Msg)
		}
		return r, err
	}
	return r, nil
}

// tomlValues is a TOML value as the option's textual values: the TOML type must be the
// option kind's (a string, a boolean, an integer, an array of strings for a list; an
// enum of true, false and others takes a boolean too).
func tomlValues(o *resource.Option, v any) ([]string, error) {
	mismatch := func(want string) error {
		return fmt.Errorf("incompatible types: TOML value has type %s; destination has type %s", tomlType(v), want)
	}
	switch o.Kind {
	case resource.Bool:
		if b, ok := v.(bool); ok {
			return []string{strconv.FormatBool(b)}, nil
		}
		return nil, mismatch("bool")
	case resource.Int:
		if n, ok := v.(int64); ok {
			return []string{strconv.FormatInt(n, 10)}, nil
		}
		return nil, mismatch("int")
	case resource.List:
		items, ok := v.([]any)
		if !ok {
			return nil, mismatch("array of strings")
		}
		out := make([]string, 0, len(items))
		for _, it := range items {
			s, ok := it.(string)
			if !ok {
				return nil, fmt.Errorf("incompatible types: array item has type %s; want strings", tomlType(it))
			}
			out = append(out, s)
		}
		return out, nil
	case resource.Enum:
		if b, ok := v.(bool); ok {
			return []string{strconv.FormatBool(b)}, nil
		}
	}
	if s, ok := v.(string); ok {
		return []string{s}, nil
	}
	return nil, mismatch("string")
}

// tomlType names a decoded value's type as the TOML decoder's messages do.
func tomlType(v any) string {
	switch v.(type) {
	case map[string]any:
		return "map[string]any"
	case []any:
		return "[]any"
	}
	return fmt.Sprintf("%T", v)
}

// decodeError names the file in a TOML syntax or type error; the decoder's own text
// gives the last key and mostly the line, which is looked up in data when it does not.
func decodeError(name string, data []byte, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return &DefinitionError{File: name, Line: pe.Position.Line, Key: pe.LastKey, Msg: pe.Message}
	}
	// Type mismatches come as plain errors: "toml: line 2 (last key "resource.tag"): ...",
	// without the line when a whole table has the wrong type ("resource.tag = 1" makes
	// resource a table, not an array of tables).
	if m := typeErrorText().FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		if line == 0 {
			line = newLocator(data).key(toml.Key(strings.Split(m[2], ".")))
		}
		return &DefinitionError{File: name, Line: line, Key: m[2], Msg: m[3]}
	}
	return &DefinitionError{File: name, Msg: strings.TrimPrefix(err.Error(), "toml: ")}
}

// typeErrorText is compiled on first use, when a file has a wrong type: not on every
// command's start.
var typeErrorText = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^toml: (?:line (\d+) )?\(last key "([^"]*)"\): (.*)$`)
})

// Lookup returns the resource with tag (case-insensitive, as tags are unique that way).
func (f *File) Lookup(tag string) (Resource, bool) {
	for _, r := range f.Resources {
		if strings.EqualFold(r.Tag, tag) {
			return r, true
		}
	}
	return Resource{}, false
}
