package resource

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Kind is how an option's value is written, and so how each entry point reads it: the
// resource file's TOML type, a flag's form (a bool flag needs no value, a list flag may
// repeat) and the OCF meta-data's content type.
type Kind int

// The kinds of value an option takes.
const (
	// String is any text (TOML string, OCF string).
	String Kind = iota
	// Bool is true or false (TOML boolean; a flag without a value; OCF yes/no, 1/0 ...).
	Bool
	// Int is a whole number (TOML integer, OCF integer).
	Int
	// Duration is a Go duration such as 1s or 250ms (TOML string).
	Duration
	// Enum is one word of a fixed set (TOML string, or a TOML boolean when the set
	// holds true and false).
	Enum
	// List is several texts: a TOML array of strings, a flag given once per item, an
	// OCF parameter with its items separated by commas.
	List
)

// Where says which entry points may set an option.
type Where uint8

// The entry points of a resource definition.
const (
	// InFile is a key of a [[resource]] table of the resource file.
	InFile Where = 1 << iota
	// InFlag is a flag of the actions (and of the script generators, which carry it).
	InFlag
	// InOCF is an OCF agent parameter (OCF_RESKEY_<Param>).
	InOCF
	// Everywhere is every entry point.
	Everywhere = InFile | InFlag | InOCF
)

// Option is one setting of a resource definition, defined once: its name at every entry
// point, the kind of value it takes, its default and documentation, and how its text
// becomes part of a Resource and is written back. Every entry point (the resource file,
// the flags, the OCF parameters, the script generators) reads options through this table.
type Option struct {
	// Key is the resource file's key (and the name FieldError and messages use).
	Key string
	// Flag is the action flag, without dashes.
	Flag string
	// Param is the OCF parameter (OCF_RESKEY_<Param>).
	Param string
	Kind  Kind
	// Default is the value in force when the option is not set, as text ("" for none).
	Default string
	// Doc is the one-line documentation (flag usage, OCF shortdesc).
	Doc string
	// Long is the OCF meta-data's longer description; empty repeats Doc.
	Long string
	// Where lists the entry points that accept the option.
	Where Where
	// Types are the service types the option applies to; nil for every type.
	// Validate refuses the option set on another type.
	Types []Type
	// Path marks a file path: the resource file resolves it against its own folder, and
	// a generated script carries it absolute.
	Path bool
	// TypeWords name the option in "... on a W3 resource" (default: its key); TypeWhy,
	// when set, says why in parentheses after it.
	TypeWords, TypeWhy string

	// Parse reads the option's values (one for every kind but List) into r; use Set.
	Parse func(r *Resource, vals []string) error
	// Format writes the option of r back as the values Parse reads; none for a zero
	// value. Use Get.
	Format func(r Resource) []string
}

// Set reads the option's textual values into r: exactly one value for every kind but
// List, whose items replace the list. A bad value is an error naming no entry point
// (the caller names the key, the flag or the parameter).
func (o *Option) Set(r *Resource, vals []string) error {
	if o.Kind != List && len(vals) != 1 {
		return fmt.Errorf("want one value, got %d", len(vals))
	}
	return o.Parse(r, vals)
}

// Get writes the option of r as the values Set reads back to the same Resource; nil
// when the option has its zero value.
func (o *Option) Get(r Resource) []string { return o.Format(r) }

// AppliesTo reports whether the option may be set on a resource of type t.
func (o *Option) AppliesTo(t Type) bool {
	if o.Types == nil {
		return true
	}
	for _, a := range o.Types {
		if a == t {
			return true
		}
	}
	return false
}

// OptionTable is every resource option, in the resource file's key order (the order of
// Validate's messages, the flags' help and the OCF meta-data).
var OptionTable = []Option{
	{Key: "tag", Flag: "tag", Param: "tag", Kind: String, Where: Everywhere,
		Doc:    "the resource's tag (required)",
		Long:   "The resource's tag: its name in events and the key of a resource in the config file. Default: the resource's instance name (OCF_RESOURCE_INSTANCE).",
		Parse:  text(func(r *Resource, v string) error { r.Tag = v; return nil }),
		Format: func(r Resource) []string { return nonEmpty(r.Tag) }},
	{Key: "site", Flag: "site", Param: "site", Kind: String, Where: Everywhere,
		Doc:    "IIS site name (defines the resource inline, with --type)",
		Long:   "The IIS site to protect (any text; never passed through a shell). Required with type unless config defines the tag.",
		Parse:  text(func(r *Resource, v string) error { r.Site = v; return nil }),
		Format: func(r Resource) []string { return nonEmpty(r.Site) }},
	{Key: "type", Flag: "type", Param: "type", Kind: Enum, Where: Everywhere,
		Doc:  "service type: W3, FTP or SMTP (aliases WEB, W3SVC, FTPSVC, MSFTPSVC, SMTPSVC)",
		Long: "The site's service type: W3, FTP or SMTP (aliases WEB, W3SVC, FTPSVC, MSFTPSVC, SMTPSVC). Required with site unless config defines the tag.",
		Parse: text(func(r *Resource, v string) (err error) {
			r.Type, err = ParseType(v)
			return err
		}),
		Format: func(r Resource) []string {
			if !r.Type.Valid() {
				return nil
			}
			return []string{r.Type.String()}
		}},
	{Key: "ftp_user", Flag: "ftp-user", Param: "ftp_user", Kind: String, Where: Everywhere, Types: []Type{FTP},
		TypeWords: "FTP credentials",
		Doc:       "FTP user of the deep check",
		Long:      "The user the FTP deep check logs in as (FTP sites only).",
		Parse:     text(func(r *Resource, v string) error { r.FTP.User = v; return nil }),
		Format:    func(r Resource) []string { return nonEmpty(r.FTP.User) }},
	{Key: "ftp_password_file", Flag: "ftp-password-file", Param: "ftp_password_file", Kind: String, Where: Everywhere,
		Types: []Type{FTP}, Path: true, TypeWords: "FTP credentials",
		Doc:    "file holding the FTP password (else $IISKIT_FTP_PASSWORD)",
		Long:   "A file holding the FTP user's password. The password is never a parameter: it would be visible in the cluster configuration.",
		Parse:  text(func(r *Resource, v string) error { r.FTP.PasswordFile = v; return nil }),
		Format: func(r Resource) []string { return nonEmpty(r.FTP.PasswordFile) }},
	{Key: "url", Flag: "url", Param: "url", Kind: String, Where: Everywhere,
		Doc:    "[ext] path or URL the HTTP deep check requests",
		Long:   "A path or URL the HTTP deep check requests, sent with the binding's host header.",
		Parse:  text(func(r *Resource, v string) error { r.Options.URL = v; return nil }),
		Format: func(r Resource) []string { return nonEmpty(r.Options.URL) }},
	{Key: "expect_status", Flag: "expect-status", Param: "expect_status", Kind: String, Where: Everywhere,
		Doc:  "[ext] HTTP statuses that count as an answer, e.g. 200-399",
		Long: "HTTP statuses that count as an answer, e.g. 200-399; others fail the deep check (a stopped application pool answers 503).",
		Parse: text(func(r *Resource, v string) (err error) {
			if v == "" {
				r.Options.ExpectStatus = nil
				return nil
			}
			r.Options.ExpectStatus, err = ParseStatusRanges(v)
			return err
		}),
		Format: func(r Resource) []string { return nonEmpty(r.Options.ExpectStatus.String()) }},
	{Key: "probe_unassigned_via", Flag: "probe-unassigned-via", Param: "probe_unassigned_via", Kind: String, Where: Everywhere,
		Doc:  "[ext] address to probe bindings without an IP at",
		Long: "Probe bindings without an IP address (All Unassigned) at this address instead of warning 9773.",
		Parse: text(func(r *Resource, v string) error {
			ip, err := ParseAddr(v)
			if err == nil {
				r.Options.ProbeUnassignedVia = ip
			}
			return err
		}),
		Format: func(r Resource) []string {
			if !r.Options.ProbeUnassignedVia.IsValid() {
				return nil
			}
			return []string{r.Options.ProbeUnassignedVia.String()}
		}},
	{Key: "recover_starts_site", Flag: "recover-starts-site", Param: "recover_starts_site", Kind: Bool, Default: "false", Where: Everywhere,
		Doc:    "[ext] recover starts the site once before waiting",
		Long:   "Local recovery starts the site once instead of only waiting for IIS to start it.",
		Parse:  boolean(func(r *Resource) *bool { return &r.Options.RecoverStartsSite }),
		Format: func(r Resource) []string { return trueOnly(r.Options.RecoverStartsSite) }},
	{Key: "tls_verify", Flag: "tls-verify", Param: "tls_verify", Kind: Bool, Default: "false", Where: Everywhere,
		Doc:    "[ext] certificate problems of https, FTPS and STARTTLS are failures",
		Long:   "Certificate problems of https, FTPS and STARTTLS fail the deep check.",
		Parse:  boolean(func(r *Resource) *bool { return &r.Options.TLSVerify }),
		Format: func(r Resource) []string { return trueOnly(r.Options.TLSVerify) }},
	{Key: "cert_warn_days", Flag: "cert-warn-days", Param: "cert_warn_days", Kind: Int, Default: "0", Where: Everywhere,
		Doc:  "[ext] warn (9801) when a site's certificate expires within this many days",
		Long: "Warn (event 9801) when a site's certificate expires within this many days; 0 is off.",
		Parse: text(func(r *Resource, v string) error {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 0, strconv.IntSize)
			if ne := (*strconv.NumError)(nil); errors.As(err, &ne) {
				return fmt.Errorf("invalid value %q: %w", v, ne.Err)
			}
			r.Options.CertWarnDays = int(n)
			return nil
		}),
		Format: func(r Resource) []string {
			if r.Options.CertWarnDays == 0 {
				return nil
			}
			return []string{strconv.Itoa(r.Options.CertWarnDays)}
		}},
	{Key: "deep_smtp", Flag: "deep-smtp", Param: "deep_smtp", Kind: Bool, Default: "false", Where: Everywhere, Types: []Type{SMTP},
		Doc:    "[ext] deepcheck probes SMTP virtual servers too",
		Long:   "The deep check probes SMTP virtual servers too (greeting, EHLO, QUIT).",
		Parse:  boolean(func(r *Resource) *bool { return &r.Options.DeepSMTP }),
		Format: func(r Resource) []string { return trueOnly(r.Options.DeepSMTP) }},
	{Key: "ftp_tls", Flag: "ftp-tls", Param: "ftp_tls", Kind: Enum, Where: Everywhere, Types: []Type{FTP},
		Doc:  "[ext] explicit FTPS for the FTP login: true, false or auto",
		Long: "Explicit FTPS (AUTH TLS) for the FTP login: true, false or auto.",
		Parse: text(func(r *Resource, v string) (err error) {
			r.Options.FTPTLS, err = ParseTLSMode(v)
			return err
		}),
		Format: func(r Resource) []string {
			switch r.Options.FTPTLS {
			case TLSOn:
				return []string{"true"}
			case TLSAuto:
				return []string{"auto"}
			}
			return nil
		}},
	{Key: "probe_host_label", Flag: "probe-host-label", Param: "probe_host_label", Kind: String, Default: DefaultProbeHostLabel, Where: Everywhere,
		Types: []Type{W3}, TypeWhy: "only http bindings have wildcard host headers",
		Doc:    "[ext] label the HTTP probe puts in place of the * of a wildcard host header (default " + DefaultProbeHostLabel + ")",
		Long:   "The label the HTTP deep check puts in place of the * of a wildcard host header (*.example.com): health gives health.example.com. Default " + DefaultProbeHostLabel + ".",
		Parse:  text(func(r *Resource, v string) error { r.Options.ProbeHostLabel = v; return nil }),
		Format: func(r Resource) []string { return nonEmpty(r.Options.ProbeHostLabel) }},
	{Key: "strict_site_state", Flag: "strict-site-state", Param: "strict_site_state", Kind: Bool, Default: "false", Where: Everywhere,
		Doc:    "[ext] quickcheck fails on every site state but Started",
		Long:   "The quick check fails on every site state but Started (Starting, Stopping and Unknown too).",
		Parse:  boolean(func(r *Resource) *bool { return &r.Options.StrictSiteState }),
		Format: func(r Resource) []string { return trueOnly(r.Options.StrictSiteState) }},
	{Key: "app_pools", Flag: "app-pool", Param: "app_pools", Kind: List, Where: Everywhere,
		Types: []Type{W3}, TypeWhy: "only W3 sites have application pools",
		Doc:    `[ext] an application pool the W3 site needs (default: its applications' pools; "" turns the pool checks off)`,
		Long:   "The application pools the W3 site needs (SPEC P): the quick check fails while one is stopped or missing, restore and recover start them first. Unset: the pools of the site's applications as IIS lists them, read at each check. An empty list (app_pools = [], --app-pool \"\", the OCF value \",\") turns the pool checks off.",
		Parse:  parseAppPools,
		Format: formatAppPools},
}

// OptionByKey returns the option whose resource file key is key.
func OptionByKey(key string) (*Option, bool) {
	for i := range OptionTable {
		if OptionTable[i].Key == key {
			return &OptionTable[i], true
		}
	}
	return nil, false
}

// ParseBool reads a boolean option's text: true/false, yes/no, on/off, y/n, 1/0 in any
// letter case (what Go's flags and OCF agents accept).
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "yes", "true", "on", "y", "t":
		return true, nil
	case "0", "no", "false", "off", "n", "f":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean (want yes/no, true/false, on/off or 1/0)", s)
}

// SplitList reads a list option written on one line (an OCF parameter): items separated
// by commas, spaces around them dropped, empty items skipped.
func SplitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

func text(f func(r *Resource, v string) error) func(*Resource, []string) error {
	return func(r *Resource, vals []string) error { return f(r, vals[len(vals)-1]) }
}

func boolean(field func(r *Resource) *bool) func(*Resource, []string) error {
	return text(func(r *Resource, v string) error {
		b, err := ParseBool(v)
		if err == nil {
			*field(r) = b
		}
		return err
	})
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func trueOnly(b bool) []string {
	if !b {
		return nil
	}
	return []string{"true"}
}

// parseAppPools reads app_pools: the pools named, or none at all (the pool rules off)
// for no item or one empty item (--app-pool "", which names no pool and so goes alone).
// The result is never nil: nil is the option unset, the site's own pools.
func parseAppPools(r *Resource, vals []string) error {
	pools := []string{}
	for _, v := range vals {
		if v == "" {
			if len(vals) > 1 {
				return errors.New(`an empty item turns the pool checks off; it cannot go with pool names`)
			}
			break
		}
		pools = append(pools, v)
	}
	r.Options.AppPools = pools
	return nil
}

// formatAppPools writes app_pools back as parseAppPools reads it: nothing when unset, one
// empty item when the rules are off.
func formatAppPools(r Resource) []string {
	switch {
	case r.Options.AppPools == nil:
		return nil
	case len(r.Options.AppPools) == 0:
		return []string{""}
	}
	return r.Options.AppPools
}
