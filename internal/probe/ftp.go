package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/iiskit/iiskit/internal/resource"
)

// The anonymous login sent when FTPTarget.User is empty (RFC 1635 asks for an address-like
// password). The configured password is never sent without a user.
const (
	anonymousUser     = "anonymous"
	anonymousPassword = "anonymous@"
)

// maxPreliminary bounds the 1yz replies ("120 ready in 2 minutes") accepted before the
// real greeting.
const maxPreliminary = 3

// errBadCredentials is a user or password that cannot be sent on an FTP command line.
var errBadCredentials = errors.New("ftp user or password contains a line break or NUL")

// errBadVirtualHost is a virtual host name that cannot go before "|" in USER.
var errBadVirtualHost = errors.New("ftp virtual host name contains a line break, NUL or |")

// FTPLogin logs in to an FTP site (SPEC D4.4): greeting 220, USER, PASS, and success only
// when the login reply's code is 230 (its last line starts with "230 "); then QUIT.
//
// Any failure is FTPNoAnswer with Replies holding the server's reply lines. A user or
// password containing CR, LF or NUL is BadArgs, and nothing is sent: such a value would let
// the password's tail run as a command. An Addr that is not host:port is BadArgs too. The
// password never appears in Replies or Err (SPEC S3): the probe never formats it, and
// Replies is masked of it and of its pieces in case a server echoes it back (see
// maskedTranscript). With no User, the login is anonymous and the Password is not sent.
func FTPLogin(ctx context.Context, t FTPTarget) Result {
	start := time.Now()
	r := ftpLogin(ctx, t)
	r.Elapsed = time.Since(start)
	return r
}

func ftpLogin(ctx context.Context, t FTPTarget) Result {
	user, pass := t.User, t.Password.Reveal()
	if user == "" {
		// No user: an anonymous login, with the fixed password RFC 1635 suggests and
		// never the configured secret, which belongs to a user the administrator did not
		// name (a password set in the environment for other resources, say).
		user, pass = anonymousUser, anonymousPassword
	}
	if strings.ContainsAny(user, "\r\n\x00") || strings.ContainsAny(pass, "\r\n\x00") {
		return Result{Code: BadArgs, Err: errBadCredentials}
	}
	if t.VirtualHost != "" {
		if strings.ContainsAny(t.VirtualHost, "\r\n\x00|") {
			return Result{Code: BadArgs, Err: errBadVirtualHost}
		}
		// IIS reaches an FTP site bound with a host name (FTP virtual host names) by
		// "host|user" or by the HOST command (RFC 7151) before a plain USER; it accepts
		// both. The probe sends host|user: the syntax Microsoft documents for every
		// FTP 7 and later, one command in one round trip, nothing to fall back from when
		// a server or a middlebox does not know HOST, and no question of HOST's place
		// before AUTH TLS. Anonymous logins take the same form (host|anonymous).
		user = t.VirtualHost + "|" + user
	}
	if err := checkAddr(t.Addr); err != nil {
		return Result{Code: BadArgs, Err: err}
	}
	timeout := stageTimeout(t.Timeout)
	c, err := dialLine(ctx, t.Addr, timeout)
	if err != nil {
		return Result{Code: FTPNoAnswer, Err: fmt.Errorf("ftp: %w", err)}
	}
	defer c.close()

	var seen peerCert
	err = ftpSession(c, t, user, pass, &seen)
	res := Result{Code: OK, Replies: c.transcript(t.Password.Reveal()), CertNotAfter: seen.get()}
	if err != nil {
		res.Code, res.Err = FTPNoAnswer, fmt.Errorf("ftp %s: %w", t.Addr, err)
	}
	return res
}

// ftpSession runs the dialogue after the connection is made. A nil error is a login that
// got 230.
func ftpSession(c *lineConn, t FTPTarget, user, pass string, seen *peerCert) error {
	if err := ftpGreeting(c); err != nil {
		return err
	}
	if err := ftpAuthTLS(c, t, seen); err != nil {
		return err
	}
	rep, err := c.cmd("USER", "USER "+user)
	if err != nil {
		return err
	}
	switch {
	case loggedIn(rep): // no password needed
	case rep.Code == 331:
		rep, err = c.cmd("PASS", "PASS "+pass)
		if err != nil {
			return err
		}
		if !loggedIn(rep) {
			c.quit()
			return fmt.Errorf("login refused: reply %d to PASS", rep.Code)
		}
	default:
		c.quit()
		return fmt.Errorf("login refused: reply %d to USER", rep.Code)
	}
	c.quit()
	return nil
}

// loggedIn reports whether a reply is a login (SPEC D4.4): its code is 230 and a line
// starts with "230 ". A bare "230" (the code alone, which ReadReply accepts as a reply)
// is not one: the original kit and 9760's text ask for the space.
func loggedIn(rep Reply) bool {
	return rep.Code == 230 && slices.ContainsFunc(rep.Lines, func(l string) bool { return strings.HasPrefix(l, "230 ") })
}

// ftpGreeting reads the greeting: 220, possibly after a few 1yz replies.
func ftpGreeting(c *lineConn) error {
	for range maxPreliminary + 1 {
		rep, err := c.reply("connect")
		if err != nil {
			return err
		}
		switch {
		case rep.Code == 220:
			return nil
		case rep.Code >= 100 && rep.Code < 200:
			continue
		default:
			return fmt.Errorf("greeting is %d, want 220", rep.Code)
		}
	}
	return errors.New("no 220 greeting after preliminary replies")
}

// ftpAuthTLS upgrades the control connection (RFC 4217) as t.TLS asks. PBSZ and PROT are
// not sent: they concern data connections, and the probe opens none.
func ftpAuthTLS(c *lineConn, t FTPTarget, seen *peerCert) error {
	if t.TLS == resource.TLSOff {
		return nil
	}
	roots, err := verifyRoots(t.TLSVerify, t.RootCAs)
	if err != nil {
		return err
	}
	rep, err := c.cmd("AUTH TLS", "AUTH TLS")
	if err != nil {
		return err
	}
	if rep.Code != 234 {
		if t.TLS == resource.TLSAuto {
			return nil
		}
		c.quit()
		return fmt.Errorf("AUTH TLS refused: reply %d", rep.Code)
	}
	name := t.ServerName
	if name == "" {
		name = serverName(t.Addr)
	}
	return c.startTLS(tlsConfig(name, t.TLSVerify, roots, seen))
}

// checkAddr reports whether addr is host:port with a port from 1 to 65535.
func checkAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %w", addr, err)
	}
	n := 0
	for _, ch := range port {
		if ch < '0' || ch > '9' || n > 65535 {
			n = -1
			break
		}
		n = n*10 + int(ch-'0')
	}
	if host == "" || n < 1 || n > 65535 {
		return fmt.Errorf("address %q: want host:port with a port from 1 to 65535", addr)
	}
	return nil
}

// stageTimeout returns the timeout of each stage: t, or DefaultTimeout when t is not set.
func stageTimeout(t time.Duration) time.Duration {
	if t <= 0 {
		return DefaultTimeout
	}
	return t
}
