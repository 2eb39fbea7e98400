package probe

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"
)

// peerCert records the server certificate's expiry seen during a handshake. The handshake
// may run on another goroutine (net/http's transport), hence the lock.
type peerCert struct {
	mu       sync.Mutex
	notAfter time.Time
}

func (p *peerCert) set(t time.Time) {
	p.mu.Lock()
	p.notAfter = t
	p.mu.Unlock()
}

func (p *peerCert) get() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.notAfter
}

// tlsConfig builds the client configuration of one probe. The standard verification is
// switched off and redone in VerifyConnection, so that the certificate's NotAfter is
// recorded even when verification fails (an expired certificate is exactly the case an
// administrator wants to see), and so that verification is optional: the original kit
// ignores certificate problems, and TLSVerify makes them failures.
func tlsConfig(serverName string, verify bool, roots *x509.CertPool, seen *peerCert) *tls.Config {
	return &tls.Config{
		ServerName:         serverName,
		InsecureSkipVerify: true, // verified in VerifyConnection when asked
		// Old IIS releases only speak TLS 1.0 unless reconfigured; a health check must
		// still reach them, as the original's WinINet does.
		MinVersion: tls.VersionTLS10,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("tls: server sent no certificate")
			}
			leaf := cs.PeerCertificates[0]
			seen.set(leaf.NotAfter)
			if !verify {
				return nil
			}
			inter := x509.NewCertPool()
			for _, c := range cs.PeerCertificates[1:] {
				inter.AddCert(c)
			}
			_, err := leaf.Verify(x509.VerifyOptions{
				Roots:         roots,
				Intermediates: inter,
				DNSName:       serverName,
			})
			if err != nil {
				return fmt.Errorf("tls: verify server certificate: %w", err)
			}
			return nil
		},
	}
}

// verifyRoots returns the roots to verify against: the given pool, or the system's. A
// system pool that cannot be loaded is the one way a probe's client cannot be built.
func verifyRoots(verify bool, roots *x509.CertPool) (*x509.CertPool, error) {
	if !verify || roots != nil {
		return roots, nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		return nil, fmt.Errorf("load system certificate roots: %w", err)
	}
	return pool, nil
}

// serverName returns the TLS server name for a host header or address: the host without
// port or brackets. For an IP address Go sends no SNI, as RFC 6066 requires, and
// verification checks the certificate's IP addresses.
func serverName(hostOrAddr string) string {
	if h, _, err := net.SplitHostPort(hostOrAddr); err == nil {
		return h
	}
	return strings.TrimSuffix(strings.TrimPrefix(hostOrAddr, "["), "]")
}
