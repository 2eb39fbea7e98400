package lab

import (
	"io"
	"log"
	"net"
	"time"

	"github.com/emersion/go-smtp"
)

// SMTP server limits: every socket has a deadline.
const (
	smtpReadTimeout  = 60 * time.Second
	smtpWriteTimeout = 60 * time.Second
	smtpMaxMessage   = 1 << 20
)

// serveSMTP starts an SMTP server on ln that accepts mail and discards it.
func serveSMTP(ep *endpoint, ln net.Listener, served chan struct{}) (func(), error) {
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return discardSession{}, nil }))
	srv.Domain = "lab.invalid"
	if ls := ep.single.Load(); ls != nil && ls.hostName != "" {
		srv.Domain = ls.hostName
	}
	srv.ReadTimeout, srv.WriteTimeout = smtpReadTimeout, smtpWriteTimeout
	srv.MaxMessageBytes = smtpMaxMessage
	srv.AllowInsecureAuth = true
	srv.ErrorLog = log.New(io.Discard, "", 0)
	go func() {
		defer close(served)
		_ = srv.Serve(ln) // ends when the server or the listener closes
	}()
	return func() { _ = srv.Close() }, nil
}

// discardSession accepts every message and throws it away.
type discardSession struct{}

func (discardSession) Reset()                               {}
func (discardSession) Logout() error                        { return nil }
func (discardSession) Mail(string, *smtp.MailOptions) error { return nil }
func (discardSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (discardSession) Data(r io.Reader) error               { _, err := io.Copy(io.Discard, r); return err }
