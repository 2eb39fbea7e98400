package lab

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

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

// ftpDriver is the server side of one FTP IP:port: one account and an empty in-memory
// filesystem for every site bound there. hosts holds the host each connection named with
// the HOST command, by the client's address.
type ftpDriver struct {
	ep       *endpoint
	settings *ftpserver.Settings
	fs       afero.Fs
	hosts    sync.Map // client address → *hostConn
}

// serveFTP starts an FTP server on ln.
func serveFTP(ep *endpoint, ln net.Listener, served chan struct{}) (func(), error) {
	d := &ftpDriver{ep: ep, fs: afero.NewMemMapFs()}
	d.settings = &ftpserver.Settings{
		Listener:          &hostListener{Listener: ln, d: d},
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
	srv := ftpserver.NewFtpServer(d)
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

// AuthUser accepts probe/probe at the site the login reaches, unless that site is set to
// ftp-deny; a refusal is sent as 530. As IIS routes FTP virtual host names, the site is
// the one bound to the host named by USER host|user, else by an earlier HOST command,
// else the one bound with no host name: a plain USER reaches no site bound by host name.
func (d *ftpDriver) AuthUser(cc ftpserver.ClientContext, user, pass string) (ftpserver.ClientDriver, error) {
	host, name, named := strings.Cut(user, "|")
	if !named {
		host, name = "", user
		if c, ok := d.hosts.Load(cc.RemoteAddr().String()); ok {
			host = c.(*hostConn).hostName()
		}
	}
	ls := d.ep.siteFor(host)
	if ls == nil {
		return nil, errFTPLogin
	}
	switch ls.mode() {
	case respondRefuse:
		// The IP:port stays open for the other sites; this site's clients are cut off.
		_ = cc.Close()
		return nil, errFTPLogin
	case respondHang:
		// Shared by host names, the IP:port cannot hold the connection before the login
		// names the site: the login itself goes unanswered.
		t := time.NewTimer(d.ep.n.maxHold)
		defer t.Stop()
		select {
		case ls.held <- struct{}{}:
		default:
		}
		select {
		case <-ls.quit:
		case <-t.C:
		}
		_ = cc.Close()
		return nil, errFTPLogin
	case respondFTPDeny:
		return nil, errFTPLogin
	}
	if name != ftpUser || pass != ftpPassword {
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
