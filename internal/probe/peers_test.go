package probe

import (
	"bufio"
	"context"
	"crypto/x509"
	"encoding/pem"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/resource"
)

// Tests against real servers nobody here wrote (nginx, vsftpd, OpenSMTPD), started on
// loopback by scripts/peers.sh, which writes the env file IISKIT_PEERS names.

// peers reads the env file of scripts/peers.sh. Without IISKIT_PEERS the tests skip, except
// under CI, where a missing peer must not pass for a tested one.
func peers(t *testing.T) map[string]string {
	t.Helper()
	path := os.Getenv("IISKIT_PEERS")
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but IISKIT_PEERS is not: run scripts/peers.sh start DIR and set IISKIT_PEERS=DIR/peers.env")
		}
		t.Skip("IISKIT_PEERS is not set; scripts/peers.sh start DIR starts the real peers")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("IISKIT_PEERS: %v", err)
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			env[k] = v
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("IISKIT_PEERS: %v", err)
	}
	for _, k := range []string{"PEER_HTTP_ADDR", "PEER_HTTPS_ADDR", "PEER_HTTP_HOST", "PEER_HTTP_DEAD_HOST", "PEER_CA_FILE",
		"PEER_FTP_ADDR", "PEER_FTP_USER", "PEER_FTP_PASSWORD", "PEER_FTP_TLS_NAME", "PEER_SMTP_ADDR"} {
		if env[k] == "" {
			t.Fatalf("IISKIT_PEERS %s has no %s", path, k)
		}
	}
	return env
}

// peerCA returns the peers' self-signed certificate as a pool, and its expiry.
func peerCA(t *testing.T, env map[string]string) (*x509.CertPool, time.Time) {
	t.Helper()
	data, err := os.ReadFile(env["PEER_CA_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatalf("%s holds no PEM block", env["PEER_CA_FILE"])
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return pool, cert.NotAfter
}

func TestPeerNginx(t *testing.T) {
	env := peers(t)
	roots, notAfter := peerCA(t, env)
	site, dead := env["PEER_HTTP_HOST"], env["PEER_HTTP_DEAD_HOST"]
	ok := mustRanges(t, "200-399")
	tests := []struct {
		name   string
		t      HTTPTarget
		want   Code
		status int
	}{
		{"http site", HTTPTarget{Host: site}, OK, 200},
		{"http by address: default virtual host", HTTPTarget{}, OK, 200},
		{"http dead pool is an answer", HTTPTarget{Host: dead}, OK, 503},
		{"http dead pool caught by expect_status", HTTPTarget{Host: dead, ExpectStatus: ok}, HTTPNoAnswer, 503},
		{"http site with url and expect_status", HTTPTarget{Host: site, URL: "/health?deep=1", ExpectStatus: ok}, OK, 200},
		{"https self-signed accepted", HTTPTarget{TLS: true, Host: site}, OK, 200},
		{"https verified", HTTPTarget{TLS: true, Host: site, TLSVerify: true, RootCAs: roots}, OK, 200},
		{"https verify against system roots fails", HTTPTarget{TLS: true, Host: site, TLSVerify: true}, HTTPNoAnswer, 0},
		{"https verify wrong name fails", HTTPTarget{TLS: true, Host: "other.test", TLSVerify: true, RootCAs: roots}, HTTPNoAnswer, 0},
		{"https dead pool by SNI and Host", HTTPTarget{TLS: true, Host: dead, TLSVerify: true, RootCAs: roots, ExpectStatus: ok}, HTTPNoAnswer, 503},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkLeaks(t)
			tc.t.Addr, tc.t.Timeout = env["PEER_HTTP_ADDR"], 5*time.Second
			if tc.t.TLS {
				tc.t.Addr = env["PEER_HTTPS_ADDR"]
			}
			r := HTTP(context.Background(), tc.t)
			if r.Code != tc.want || r.Status != tc.status {
				t.Errorf("code %v status %d (%v), want %v %d", r.Code, r.Status, r.Err, tc.want, tc.status)
			}
			if tc.t.TLS && !r.CertNotAfter.Equal(notAfter) {
				t.Errorf("CertNotAfter %v, want %v", r.CertNotAfter, notAfter)
			}
		})
	}
}

func TestPeerVsftpd(t *testing.T) {
	env := peers(t)
	roots, notAfter := peerCA(t, env)
	user, pass := env["PEER_FTP_USER"], env["PEER_FTP_PASSWORD"]
	tests := []struct {
		name        string
		t           FTPTarget
		want        Code
		wantReplies []string
	}{
		{"good login", FTPTarget{User: user, Password: resource.Secret(pass)}, OK,
			[]string{"220 (vsFTPd 3.0.3)", "331 Please specify the password.", "230 Login successful.", "221 Goodbye."}},
		{"wrong password", FTPTarget{User: user, Password: resource.Secret(pass + "x")}, FTPNoAnswer,
			[]string{"220 (vsFTPd 3.0.3)", "331 Please specify the password.", "530 Login incorrect."}},
		{"unknown user", FTPTarget{User: "nobody-here", Password: resource.Secret(pass)}, FTPNoAnswer,
			[]string{"530 Login incorrect."}},
		{"anonymous refused", FTPTarget{}, FTPNoAnswer, []string{"530"}},
		{"explicit FTPS", FTPTarget{User: user, Password: resource.Secret(pass), TLS: resource.TLSOn}, OK,
			[]string{"234 Proceed with negotiation.", "230 Login successful."}},
		{"explicit FTPS verified", FTPTarget{User: user, Password: resource.Secret(pass), TLS: resource.TLSAuto,
			TLSVerify: true, RootCAs: roots, ServerName: env["PEER_FTP_TLS_NAME"]}, OK,
			[]string{"234 Proceed with negotiation.", "230 Login successful."}},
		{"explicit FTPS, wrong password", FTPTarget{User: user, Password: resource.Secret("x" + pass), TLS: resource.TLSOn}, FTPNoAnswer,
			[]string{"234 Proceed with negotiation.", "530 Login incorrect."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkLeaks(t)
			tc.t.Addr, tc.t.Timeout = env["PEER_FTP_ADDR"], 5*time.Second
			r := FTPLogin(context.Background(), tc.t)
			if r.Code != tc.want {
				t.Errorf("code %v (%v), want %v; replies:\n%s", r.Code, r.Err, tc.want, r.Replies)
			}
			for _, w := range tc.wantReplies {
				if !strings.Contains(r.Replies, w) {
					t.Errorf("replies lack %q:\n%s", w, r.Replies)
				}
			}
			if wantTLS := tc.t.TLS != resource.TLSOff; wantTLS != !r.CertNotAfter.IsZero() || (wantTLS && !r.CertNotAfter.Equal(notAfter)) {
				t.Errorf("CertNotAfter %v, want TLS %v expiring %v", r.CertNotAfter, wantTLS, notAfter)
			}
			checkSecret(t, r, tc.t.Password.Reveal())
			checkSecret(t, r, pass)
		})
	}
}

// TestPeerOpenSMTPD runs against OpenSMTPD in plain text: the Debian 12 package cannot do
// TLS (see scripts/peers.sh), so STARTTLS is tested on scripted servers.
func TestPeerOpenSMTPD(t *testing.T) {
	env := peers(t)
	tests := []struct {
		name string
		t    SMTPTarget
		want Code
	}{
		{"plain", SMTPTarget{}, OK},
		{"own hello name", SMTPTarget{Hello: "node1.example"}, OK},
		{"STARTTLS when offered: not offered", SMTPTarget{StartTLS: resource.TLSAuto}, OK},
		{"STARTTLS required: not offered", SMTPTarget{StartTLS: resource.TLSOn}, SMTPNoAnswer},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkLeaks(t)
			tc.t.Addr, tc.t.Timeout = env["PEER_SMTP_ADDR"], 5*time.Second
			r := SMTP(context.Background(), tc.t)
			if r.Code != tc.want {
				t.Errorf("code %v (%v), want %v; replies:\n%s", r.Code, r.Err, tc.want, r.Replies)
			}
			if !strings.HasPrefix(r.Replies, "220 peer.test ESMTP OpenSMTPD") || !strings.Contains(r.Replies, "\n250 ") {
				t.Errorf("replies:\n%s", r.Replies)
			}
			if !r.CertNotAfter.IsZero() {
				t.Errorf("CertNotAfter %v without TLS", r.CertNotAfter)
			}
		})
	}
}
