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
	FTPTLS TLSPolicy
}

// TLSPolicy says whether a line protocol (FTP, SMTP) upgrades to TLS: ftp_tls = false,
// true or auto.
type TLSPolicy int

// The TLS policies; the zero value is plain text, as the original speaks.
const (
	TLSOff TLSPolicy = iota
	TLSOn
	TLSAuto
)

// ParseTLSPolicy reads false/off, true/on or auto (case-insensitive).
func ParseTLSPolicy(s string) (TLSPolicy, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "false", "off", "no", "":
		return TLSOff, nil
	case "true", "on", "yes":
		return TLSOn, nil
	case "auto":
		return TLSAuto, nil
	}
	return TLSOff, fmt.Errorf("%q: want true, false or auto", s)
}

// Credentials are the user and password of the FTP deep check. The password is a Secret so
// that it prints as a mask in logs, events and errors (SPEC S3).
type Credentials struct {
	User     string
	Password Secret
}

// Secret is a password that never prints: %v, %s and %q all give a mask.
type Secret string

// String returns a mask, never the secret.
func (Secret) String() string { return "********" }

// GoString returns a mask, never the secret.
func (Secret) GoString() string { return `"********"` }

// Reveal returns the secret itself, for the one place that must send it over the wire.
func (s Secret) Reveal() string { return string(s) }

// Validate reports the first problem that makes the resource unusable (SPEC S5).
func (r Resource) Validate() error {
	var errs []error
	if strings.TrimSpace(r.Tag) == "" {
		errs = append(errs, errors.New("empty tag"))
	}
	if strings.TrimSpace(r.Site) == "" {
		errs = append(errs, errors.New("empty site name"))
	}
	if !r.Type.Valid() {
		errs = append(errs, errors.New("missing or unknown service type"))
	}
	if err := checkText("tag", r.Tag); err != nil {
		errs = append(errs, err)
	}
	if err := checkText("site name", r.Site); err != nil {
		errs = append(errs, err)
	}
	if err := CheckURL(r.Options.URL); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// CheckURL accepts what the HTTP probe can request: empty (for "/"), a path starting with
// "/", or an absolute http or https URL (whose host is not dialled: the binding's address
// is).
func CheckURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
	case u.Scheme == "" && u.Host == "" && strings.HasPrefix(s, "/"):
		return nil
	case (u.Scheme == "http" || u.Scheme == "https") && u.Host != "":
		return nil
	}
	return fmt.Errorf("url %q: want a path starting with / or an http(s) URL", s)
}
