// Package config reads iiskit's resource file (TOML, CLI.md): defaults and one
// [[resource]] table per protected site, decoded strictly.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/iiskit/iiskit/internal/resource"
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

// Resource is one [[resource]] table: the resource and where its FTP password lives.
type Resource struct {
	resource.Resource
	// PasswordFile is ftp_password_file resolved against the resource file's folder.
	PasswordFile string
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
	if e.Key == "" {
		return loc + ": " + e.Msg
	}
	return fmt.Sprintf("%s: key %s: %s", loc, e.Key, e.Msg)
}

type rawFile struct {
	Defaults rawDefaults   `toml:"defaults"`
	Resource []rawResource `toml:"resource"`
	Watch    rawWatch      `toml:"watch"`
}

type rawDefaults struct {
	RetryInterval duration `toml:"retry_interval"`
	ProbeTimeout  duration `toml:"probe_timeout"`
	Timeout       duration `toml:"timeout"`
}

type rawResource struct {
	Tag                string    `toml:"tag"`
	Site               string    `toml:"site"`
	Type               string    `toml:"type"`
	FTPUser            string    `toml:"ftp_user"`
	FTPPasswordFile    string    `toml:"ftp_password_file"`
	URL                string    `toml:"url"`
	ExpectStatus       string    `toml:"expect_status"`
	ProbeUnassignedVia string    `toml:"probe_unassigned_via"`
	RecoverStartsSite  bool      `toml:"recover_starts_site"`
	TLSVerify          bool      `toml:"tls_verify"`
	CertWarnDays       int       `toml:"cert_warn_days"`
	DeepSMTP           bool      `toml:"deep_smtp"`
	FTPTLS             tlsPolicy `toml:"ftp_tls"`
	rawWatch
}

// tlsPolicy reads ftp_tls, which is true, false or "auto".
type tlsPolicy struct{ resource.TLSPolicy }

func (p *tlsPolicy) UnmarshalTOML(v any) error {
	var err error
	switch v := v.(type) {
	case bool:
		p.TLSPolicy = resource.TLSOff
		if v {
			p.TLSPolicy = resource.TLSOn
		}
	case string:
		p.TLSPolicy, err = resource.ParseTLSPolicy(v)
	default:
		err = fmt.Errorf("want true, false or \"auto\", got %v", v)
	}
	return err
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

// Load reads and checks the resource file at path.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &DefinitionError{File: path, Msg: fmt.Sprintf("cannot read the resource file: %v", errors.Unwrap(err))}
	}
	return Parse(path, data)
}

// Parse decodes a resource file's contents; name is used in messages and to resolve
// relative password files.
func Parse(name string, data []byte) (*File, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var raw rawFile
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&raw)
	if err != nil {
		return nil, decodeError(name, err)
	}
	loc := newLocator(data)
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		k := undecoded[0]
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
	for i, rr := range raw.Resource {
		bad := func(key, msg string) error {
			return &DefinitionError{File: name, Line: loc.resourceKey(i, key), Key: "resource." + key, Msg: msg}
		}
		r, err := rr.resolve(filepath.Dir(name), bad)
		if err != nil {
			return nil, err
		}
		if first, dup := seen[strings.ToLower(r.Tag)]; dup {
			return nil, bad("tag", fmt.Sprintf("duplicate tag %q (first defined in resource %d)", r.Tag, first+1))
		}
		seen[strings.ToLower(r.Tag)] = i
		if r.Watch, err = rr.rawWatch.over(f.Watch, bad); err != nil {
			return nil, err
		}
		f.Resources = append(f.Resources, r)
	}
	return f, nil
}

// resolve turns one raw table into a Resource, reporting the first bad key through bad.
func (rr rawResource) resolve(dir string, bad func(key, msg string) error) (Resource, error) {
	var r Resource
	if strings.TrimSpace(rr.Tag) == "" {
		return r, bad("tag", "missing or empty tag")
	}
	if strings.TrimSpace(rr.Site) == "" {
		return r, bad("site", "missing or empty site name")
	}
	if strings.ContainsAny(rr.Site, "\x00\r\n") {
		return r, bad("site", "site name contains a NUL or a line break")
	}
	t, err := resource.ParseType(rr.Type)
	if err != nil {
		return r, bad("type", err.Error())
	}
	r.Tag, r.Site, r.Type = rr.Tag, rr.Site, t
	r.FTP.User = rr.FTPUser
	if rr.FTPPasswordFile != "" {
		r.PasswordFile = rr.FTPPasswordFile
		if !filepath.IsAbs(r.PasswordFile) {
			r.PasswordFile = filepath.Join(dir, r.PasswordFile)
		}
	}
	if (rr.FTPUser != "" || rr.FTPPasswordFile != "") && t != resource.FTP {
		key := "ftp_user"
		if rr.FTPUser == "" {
			key = "ftp_password_file"
		}
		return r, bad(key, fmt.Sprintf("FTP credentials on a %s resource", t))
	}
	if err := resource.CheckURL(rr.URL); err != nil {
		return r, bad("url", err.Error())
	}
	r.Options.URL = rr.URL
	r.Options.RecoverStartsSite = rr.RecoverStartsSite
	r.Options.TLSVerify = rr.TLSVerify
	r.Options.DeepSMTP = rr.DeepSMTP
	r.Options.FTPTLS = rr.FTPTLS.TLSPolicy
	if rr.CertWarnDays < 0 {
		return r, bad("cert_warn_days", "must be 0 (off) or a number of days")
	}
	r.Options.CertWarnDays = rr.CertWarnDays
	if rr.FTPTLS.TLSPolicy != resource.TLSOff && t != resource.FTP {
		return r, bad("ftp_tls", fmt.Sprintf("ftp_tls on a %s resource", t))
	}
	if rr.DeepSMTP && t != resource.SMTP {
		return r, bad("deep_smtp", fmt.Sprintf("deep_smtp on a %s resource", t))
	}
	if rr.ExpectStatus != "" {
		if r.Options.ExpectStatus, err = resource.ParseStatusRanges(rr.ExpectStatus); err != nil {
			return r, bad("expect_status", err.Error())
		}
	}
	if rr.ProbeUnassignedVia != "" {
		ip, err := netip.ParseAddr(strings.Trim(rr.ProbeUnassignedVia, "[]"))
		if err != nil {
			return r, bad("probe_unassigned_via", fmt.Sprintf("%q is not an IP address", rr.ProbeUnassignedVia))
		}
		r.Options.ProbeUnassignedVia = ip
	}
	return r, nil
}

// decodeError names the file in a TOML syntax or type error; the decoder's own text
// already gives the line and the last key.
func decodeError(name string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return &DefinitionError{File: name, Line: pe.Position.Line, Key: pe.LastKey, Msg: pe.Message}
	}
	// Type mismatches come as plain errors: "toml: line 2 (last key "resource.tag"): ...".
	if m := typeErrorText.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &DefinitionError{File: name, Line: line, Key: m[2], Msg: m[3]}
	}
	return &DefinitionError{File: name, Msg: strings.TrimPrefix(err.Error(), "toml: ")}
}

var typeErrorText = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)

// Lookup returns the resource with tag (case-insensitive, as tags are unique that way).
func (f *File) Lookup(tag string) (Resource, bool) {
	for _, r := range f.Resources {
		if strings.EqualFold(r.Tag, tag) {
			return r, true
		}
	}
	return Resource{}, false
}
