package probe

import (
	"crypto/x509"
	"fmt"
	"time"

	"github.com/iiskit/iiskit/internal/resource"
)

// Code is a pollsite result (SPEC D4.6) and the exit status of `iiskit pollsite`.
type Code int

// The pollsite results of the original kit.
const (
	OK            Code = 0
	BadArgs       Code = 1 // wrong number of arguments (9754)
	NoHandle      Code = 2 // no handle could be created for polling (9755)
	FTPNoAnswer   Code = 3 // no connection to the FTP site, or it did not answer (9756)
	HTTPNoConnect Code = 4 // no connection to the HTTP site (9757)
	HTTPNoRequest Code = 5 // no HTTP request could be created (9758)
	HTTPNoAnswer  Code = 6 // the HTTP site did not answer the request (9759)
)

// The results of the SMTP probe [ext]. The original has no SMTP probe and SPEC D4.6 no
// codes for one; iiskit's choice is that `iiskit pollsite SMTP` exits with the numbers an
// HTTP site would give for the same failure (Label gives their SMTP words).
const (
	SMTPNoConnect Code = 4 // no connection to the SMTP server (9802)
	SMTPNoAnswer  Code = 6 // the SMTP server did not answer as it should (9803)
)

var codeNames = [...]string{"ok", "bad arguments", "no polling handle", "no FTP connection or answer", "no HTTP connection", "no HTTP request", "no HTTP answer"}

// String describes the code in a few words.
func (c Code) String() string {
	if c >= OK && c <= HTTPNoAnswer {
		return codeNames[c]
	}
	return fmt.Sprintf("code %d", int(c))
}

// Label describes the code in a few words for a probe of type t. SMTP shares its numbers
// with HTTP, not its words: an SMTP result says SMTP.
func (c Code) Label(t resource.Type) string {
	if t == resource.SMTP {
		switch c {
		case SMTPNoConnect:
			return "no SMTP connection"
		case SMTPNoAnswer:
			return "no SMTP answer"
		}
	}
	return c.String()
}

// Result is what one probe observed. An unhealthy site is a Result, not an error.
type Result struct {
	Code Code
	// Status is the HTTP status when the server answered, else 0.
	Status int
	// Replies holds the FTP server's reply lines, never the password (SPEC S3).
	Replies string
	// Err is the underlying cause, for diagnostics; nil when Code is OK.
	Err error
	// Elapsed is how long the probe took.
	Elapsed time.Duration
	// CertNotAfter is the expiry of the certificate the server presented over TLS, also
	// when verification failed; zero when no TLS handshake reached the certificate.
	CertNotAfter time.Time
}

// HTTPTarget is one HTTP check: where to connect and what to ask.
type HTTPTarget struct {
	// Addr is the IP:port to connect to (IPv6 in brackets).
	Addr string
	// Host is the Host header (and TLS server name); empty sends the address.
	Host string
	// TLS makes the probe speak https.
	TLS bool
	// URL is the path or absolute URL to request; empty requests "/".
	URL string
	// ExpectStatus lists the statuses that count as an answer; empty accepts any.
	ExpectStatus resource.StatusRanges
	// Timeout bounds each stage (connect, request, answer); zero means 10 s.
	Timeout time.Duration
	// TLSVerify makes certificate problems failures (HTTPNoAnswer); by default they are
	// ignored, as the original kit ignores them.
	TLSVerify bool
	// RootCAs verifies the server's certificate when TLSVerify is set; nil uses the
	// system's roots.
	RootCAs *x509.CertPool
}

// FTPTarget is one FTP login check.
type FTPTarget struct {
	// Addr is the IP:port to connect to (IPv6 in brackets).
	Addr string
	// User and Password log in; an empty user logs in as anonymous.
	User     string
	Password resource.Secret
	// Timeout bounds each stage (connect, greeting, each reply); zero means 10 s.
	Timeout time.Duration
	// TLS asks for explicit FTPS (AUTH TLS, RFC 4217) before the login; the zero value
	// logs in in plain text, as the original does.
	TLS resource.TLSMode
	// TLSVerify makes certificate problems failures; by default they are ignored.
	TLSVerify bool
	// ServerName is the TLS server name (SNI and verification); empty uses Addr's host.
	ServerName string
	// VirtualHost is the FTP virtual host name of the binding (IIS's FTP host name), sent
	// as USER host|user; empty logs in with the plain user.
	VirtualHost string
	// RootCAs verifies the server's certificate when TLSVerify is set; nil uses the
	// system's roots.
	RootCAs *x509.CertPool
}

// DefaultTimeout bounds each probe stage when a target gives no timeout (SPEC Timing).
const DefaultTimeout = 10 * time.Second
