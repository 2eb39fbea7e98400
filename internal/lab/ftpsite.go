package lab

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"

	ftpserver "github.com/fclairamb/ftpserverlib"
	"github.com/spf13/afero"
)

// The one FTP account of every lab FTP site (CLI.md).
const (
	ftpUser     = "probe"
	ftpPassword = "probe"
)

// FTP server limits, in seconds as ftpserverlib takes them: every socket has a deadline.
const (
	ftpIdleTimeout       = 60
	ftpConnectionTimeout = 10
)

var errFTPLogin = errors.New("user cannot log in")

// ftpDriver is one FTP site's server side: one account and an empty in-memory filesystem.
type ftpDriver struct {
	ep       *endpoint
	settings *ftpserver.Settings
	fs       afero.Fs
}

// serveFTP starts an FTP server on ln.
func serveFTP(ep *endpoint, ln net.Listener, served chan struct{}) (func(), error) {
	settings := &ftpserver.Settings{
		Listener:          ln,
		IdleTimeout:       ftpIdleTimeout,
		ConnectionTimeout: ftpConnectionTimeout,
		Banner:            "Microsoft FTP Service",
		// ftpserverlib opens passive data listeners on 0.0.0.0 whatever the control
		// address, and the lab never listens off loopback: PASV and EPSV get a port
		// range that yields no port, so they are refused before anything listens. Active
		// mode would connect out, so it is off too. Logins, all a probe needs, still work.
		PassiveTransferPortRange: noPassivePorts{},
		DisableActiveMode:        true,
	}
	srv := ftpserver.NewFtpServer(&ftpDriver{ep: ep, settings: settings, fs: afero.NewMemMapFs()})
	if err := srv.Listen(); err != nil {
		return nil, err
	}
	go func() {
		defer close(served)
		_ = srv.Serve() // ends when the listener closes
	}()
	return func() { _ = srv.Stop() }, nil
}

// GetSettings returns the server's settings.
func (d *ftpDriver) GetSettings() (*ftpserver.Settings, error) { return d.settings, nil }

// ClientConnected returns the greeting's text (the library sends it with 220).
func (d *ftpDriver) ClientConnected(ftpserver.ClientContext) (string, error) {
	if ls := d.ep.single.Load(); ls != nil {
		return fmt.Sprintf("Microsoft FTP Service (iiskit lab host %s, site %q)", ls.hostName, ls.name), nil
	}
	return "Microsoft FTP Service", nil
}

// ClientDisconnected has nothing to release.
func (d *ftpDriver) ClientDisconnected(ftpserver.ClientContext) {}

// AuthUser accepts probe/probe unless the site is set to ftp-deny; a refusal is sent as 530.
func (d *ftpDriver) AuthUser(_ ftpserver.ClientContext, user, pass string) (ftpserver.ClientDriver, error) {
	ls := d.ep.single.Load()
	if ls == nil || ls.mode() == respondFTPDeny || user != ftpUser || pass != ftpPassword {
		return nil, errFTPLogin
	}
	return d.fs, nil
}

// GetTLSConfig refuses TLS: the lab's FTP sites are plain FTP, as IIS's default is.
func (d *ftpDriver) GetTLSConfig() (*tls.Config, error) {
	return nil, errors.New("the lab's FTP sites do not offer TLS")
}

// noPassivePorts is a passive port range with no port in it: the library then refuses
// PASV and EPSV (421) without opening a listener.
type noPassivePorts struct{}

// FetchNext yields no port.
func (noPassivePorts) FetchNext() (exposed, listened int, ok bool) { return 0, 0, false }

// NumberAttempts is zero: there is nothing to try.
func (noPassivePorts) NumberAttempts() int { return 0 }
