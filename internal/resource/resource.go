package resource

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// Resource is one protected IIS site, named in the cluster by its tag.
type Resource struct {
	Tag  string
	Site string
	Type Type
	// FTP holds the credentials of the FTP deep check (FTP resources only).
	FTP Credentials
	// Options are the rules marked [ext] in SPEC.md; the zero value is the original's
	// behaviour.
	Options Options
}

// Options switch on the behaviours SPEC.md marks [ext].
type Options struct {
	// ProbeUnassignedVia is the address probed for a binding with no IP (SPEC D4.3);
	// the zero Addr keeps the original's warning 9773 and success.
	ProbeUnassignedVia netip.Addr
	// URL is the path or URL requested by the HTTP probe (SPEC D4.6); empty requests "/".
	URL string
	// ExpectStatus limits the HTTP statuses that count as an answer (SPEC D4.6); the zero
	// value accepts any status.
	ExpectStatus StatusRanges
	// RecoverStartsSite makes recover start the site once before waiting (SPEC C4).
	RecoverStartsSite bool
	// TLSVerify makes certificate problems of https bindings (and FTPS, STARTTLS)
	// failures; by default they are ignored, as the original ignores them.
	TLSVerify bool
	// CertWarnDays, when above zero, warns when a site's certificate expires within that
	// many days.
	CertWarnDays int
	// DeepSMTP makes deepcheck probe SMTP virtual servers too (greeting, EHLO, QUIT).
	DeepSMTP bool
	// FTPTLS says whether the FTP login uses explicit FTPS (AUTH TLS).
	FTPTLS TLSMode
	// ProbeHostLabel replaces the leading "*" of a wildcard host header (*.example.com)
	// in the name the HTTP probe sends; empty uses DefaultProbeHostLabel.
	ProbeHostLabel string
	// StrictSiteState makes quickcheck's Q3 fail on every site state but Started; by
	// default only Stopped fails, as in the original.
	StrictSiteState bool
	// AppPools are the application pools the site needs (SPEC P, W3 only). nil takes the
	// pools of the site's applications as IIS lists them, read at each check; an empty,
	// non-nil list turns the pool rules off; otherwise exactly the pools named.
	AppPools []string
}

// Credentials are the user and password of the FTP deep check. The password is a Secret so
// that it prints as a mask in logs, events and errors (SPEC S3).
type Credentials struct {
	User     string
	Password Secret
	// PasswordFile is where Password was read from (ftp_password_file, resolved against
	// the resource file's folder); empty when it came from $IISKIT_FTP_PASSWORD.
	PasswordFile string
}

// Secret is a password that never prints: %v, %s and %q all give a mask.
type Secret string

// String returns a mask, never the secret.
func (Secret) String() string { return "********" }

// GoString returns a mask, never the secret.
func (Secret) GoString() string { return `"********"` }

// Reveal returns the secret itself, for the one place that must send it over the wire.
func (s Secret) Reveal() string { return string(s) }

// FieldError is one broken rule of a resource definition. Key is the resource file's key
// it concerns (tag, site, type, ftp_user, ftp_tls, ...); the command line names the
// matching flag (--ftp-tls), the resource file the key and its line.
type FieldError struct {
	Key string
	Msg string
}

// Error returns "KEY: MESSAGE".
func (e *FieldError) Error() string { return e.Key + ": " + e.Msg }

// Validate checks every rule of a resource definition (SPEC S5), wherever it came from: the
// resource file, the command line's flags, OCF parameters or the watch daemon all call
// it. It returns nil or the broken rules joined, each a *FieldError, in key order of the
// resource file.
func (r Resource) Validate() error {
	var errs []error
	bad := func(key, format string, a ...any) {
		errs = append(errs, &FieldError{Key: key, Msg: fmt.Sprintf(format, a...)})
	}
	if strings.TrimSpace(r.Tag) == "" {
		bad("tag", "missing or empty tag")
	}
	if strings.TrimSpace(r.Site) == "" {
		bad("site", "missing or empty site name")
	}
	if !r.Type.Valid() {
		bad("type", "missing or unknown service type")
	}
	// Options of one service type on another (FTP credentials on a W3 site ...), in the
	// table's order.
	for i := range OptionTable {
		o := &OptionTable[i]
		if o.Types != nil && !o.AppliesTo(r.Type) && len(o.Get(r)) > 0 {
			what := o.TypeWords
			if what == "" {
				what = o.Key
			}
			if o.TypeWhy != "" {
				bad(o.Key, "%s on a %s resource (%s)", what, r.Type, o.TypeWhy)
			} else {
				bad(o.Key, "%s on a %s resource", what, r.Type)
			}
		}
	}
	// Every type: a tag or site name reaches events, logs and ocf-exit-reason whatever
	// the service.
	if err := checkText("tag", r.Tag); err != nil {
		bad("tag", "%v", err)
	}
	if err := checkText("site name", r.Site); err != nil {
		bad("site", "%v", err)
	}
	o := r.Options
	if err := CheckURL(o.URL); err != nil {
		bad("url", "%v", err)
	}
	for _, sr := range o.ExpectStatus {
		if sr.Min < 100 || sr.Max > 599 || sr.Min > sr.Max {
			bad("expect_status", "%q: want statuses or ranges from 100 to 599, e.g. 200-399,401", o.ExpectStatus)
			break
		}
	}
	if o.ProbeUnassignedVia.IsValid() && o.ProbeUnassignedVia.Zone() != "" {
		bad("probe_unassigned_via", "%q: an address with a zone cannot be probed", o.ProbeUnassignedVia)
	}
	if o.CertWarnDays < 0 {
		bad("cert_warn_days", "must be 0 (off) or a number of days")
	}
	if o.ProbeHostLabel != "" && !ValidHostLabels(o.ProbeHostLabel) {
		bad("probe_host_label", "%q: want one or more host name labels (letters, digits, hyphens) joined by dots, e.g. health", o.ProbeHostLabel)
	}
	for _, name := range o.AppPools {
		if strings.TrimSpace(name) == "" {
			bad("app_pools", "an empty pool name (app_pools = [] turns the pool rules off)")
			break
		}
		if err := checkText("pool name", name); err != nil {
			bad("app_pools", "%v", err)
			break
		}
	}
	return errors.Join(errs...)
}

// ParseAddr reads an IP address as the resource file, the flags and pollsite take it:
// IPv4, or IPv6 with or without brackets, no zone. IPv4-mapped IPv6 addresses become IPv4.
func ParseAddr(s string) (netip.Addr, error) {
	ip, err := netip.ParseAddr(strings.Trim(strings.TrimSpace(s), "[]"))
	if err != nil || ip.Zone() != "" {
		return netip.Addr{}, fmt.Errorf("%q is not an IP address", s)
	}
	return ip.Unmap(), nil
}

// CheckURL accepts what the HTTP probe can request: empty (for "/"), a path starting with
// "/", or an absolute http or https URL (whose host is not dialled: the binding's address
// is).
func CheckURL(s string) error {
	_, err := ParseRequestURL(s)
	return err
}

// ParseRequestURL parses what CheckURL accepts; empty is "/". The probe requests its path
// and query at the binding's address.
func ParseRequestURL(s string) (*url.URL, error) {
	raw := s
	if raw == "" {
		raw = "/"
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
	case u.Scheme == "" && u.Host == "" && strings.HasPrefix(raw, "/"):
		return u, nil
	case (u.Scheme == "http" || u.Scheme == "https") && u.Host != "":
		return u, nil
	}
	return nil, fmt.Errorf("url %q: want a path starting with / or an http(s) URL", s)
}
