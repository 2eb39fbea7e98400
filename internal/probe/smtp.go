package probe

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/iiskit/iiskit/internal/resource"
)

// defaultHello is the EHLO name when SMTPTarget.Hello is empty.
const defaultHello = "localhost"

// SMTPTarget is one SMTP check: the greeting, EHLO and QUIT, optionally over STARTTLS.
type SMTPTarget struct {
	// Addr is the IP:port to connect to (IPv6 in brackets).
	Addr string
	// Hello is the name sent with EHLO; empty sends "localhost".
	Hello string
	// StartTLS upgrades with STARTTLS (RFC 3207): TLSOn requires it, TLSAuto uses it when
	// the server offers it, TLSOff (the zero value) never does.
	StartTLS resource.TLSMode
	// TLSVerify makes certificate problems failures; by default they are ignored.
	TLSVerify bool
	// ServerName is the TLS server name (SNI and verification); empty uses Addr's host.
	ServerName string
	// RootCAs verifies the server's certificate when TLSVerify is set; nil uses the
	// system's roots.
	RootCAs *x509.CertPool
	// Timeout bounds each stage (connect, greeting, each reply); zero means 10 s.
	Timeout time.Duration
}

// SMTP checks an SMTP virtual server: a 220 greeting, 250 to EHLO and, when asked, a
// STARTTLS upgrade followed by a second EHLO; then QUIT. SMTPNoConnect when no TCP
// connection is made, SMTPNoAnswer when the server does not answer as above within the
// timeout, BadArgs for an Addr that is not host:port or a Hello name that cannot be sent. Replies holds the
// server's reply lines.
func SMTP(ctx context.Context, t SMTPTarget) Result {
	start := time.Now()
	r := smtpProbe(ctx, t)
	r.Elapsed = time.Since(start)
	return r
}

func smtpProbe(ctx context.Context, t SMTPTarget) Result {
	hello := t.Hello
	if hello == "" {
		hello = defaultHello
	}
	if strings.ContainsAny(hello, " \t\r\n\x00") {
		return Result{Code: BadArgs, Err: fmt.Errorf("smtp: hello name %q contains a space or line break", hello)}
	}
	if err := checkAddr(t.Addr); err != nil {
		return Result{Code: BadArgs, Err: fmt.Errorf("smtp: %w", err)}
	}
	c, err := dialLine(ctx, t.Addr, stageTimeout(t.Timeout))
	if err != nil {
		code := SMTPNoConnect
		if resetByPeer(err) {
			code = SMTPNoAnswer
		}
		return Result{Code: code, Err: fmt.Errorf("smtp: %w", err)}
	}
	defer c.close()

	var seen peerCert
	err = smtpSession(c, t, hello, &seen)
	res := Result{Code: OK, Replies: c.transcript(""), CertNotAfter: seen.get()}
	if err != nil {
		res.Code, res.Err = SMTPNoAnswer, fmt.Errorf("smtp %s: %w", t.Addr, err)
	}
	return res
}

func smtpSession(c *lineConn, t SMTPTarget, hello string, seen *peerCert) error {
	rep, err := c.reply("connect")
	if err != nil {
		return err
	}
	if rep.Code != 220 {
		c.quit()
		return fmt.Errorf("greeting is %d, want 220", rep.Code)
	}
	if rep, err = smtpEHLO(c, hello); err != nil {
		return err
	}
	if t.StartTLS != resource.TLSOff {
		upgraded, err := smtpStartTLS(c, t, rep, seen)
		if err != nil {
			return err
		}
		if upgraded {
			if _, err = smtpEHLO(c, hello); err != nil {
				return err
			}
		}
	}
	c.quit()
	return nil
}

// smtpEHLO sends EHLO and wants 250.
func smtpEHLO(c *lineConn, hello string) (Reply, error) {
	rep, err := c.cmd("EHLO", "EHLO "+hello)
	if err != nil {
		return rep, err
	}
	if rep.Code != 250 {
		c.quit()
		return rep, fmt.Errorf("EHLO answered %d, want 250", rep.Code)
	}
	return rep, nil
}

// smtpStartTLS upgrades the connection as t.StartTLS asks, given the EHLO reply that
// lists the server's extensions. It reports whether the connection now runs over TLS.
func smtpStartTLS(c *lineConn, t SMTPTarget, ehlo Reply, seen *peerCert) (bool, error) {
	if !offers(ehlo, "STARTTLS") {
		if t.StartTLS == resource.TLSAuto {
			return false, nil
		}
		c.quit()
		return false, errors.New("STARTTLS required but not offered")
	}
	roots, err := verifyRoots(t.TLSVerify, t.RootCAs)
	if err != nil {
		return false, err
	}
	rep, err := c.cmd("STARTTLS", "STARTTLS")
	if err != nil {
		return false, err
	}
	if rep.Code != 220 {
		if t.StartTLS == resource.TLSAuto {
			return false, nil
		}
		c.quit()
		return false, fmt.Errorf("STARTTLS answered %d, want 220", rep.Code)
	}
	name := t.ServerName
	if name == "" {
		name = serverName(t.Addr)
	}
	if err := c.startTLS(tlsConfig(name, t.TLSVerify, roots, seen)); err != nil {
		return false, err
	}
	return true, nil
}

// offers reports whether an EHLO reply lists the extension keyword (RFC 5321 §4.1.1.1:
// every line after the first is "250-KEYWORD params" or "250 KEYWORD params").
func offers(ehlo Reply, keyword string) bool {
	for _, l := range ehlo.Lines[1:] {
		if len(l) < 4 {
			continue
		}
		word, _, _ := strings.Cut(l[4:], " ")
		if strings.EqualFold(word, keyword) {
			return true
		}
	}
	return false
}
