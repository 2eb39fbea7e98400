package e2e

import (
	"bufio"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// silentBound is how long a probe of a silent server may take end to end, process start
// included: far above its 300 ms stages, far below a hang.
const silentBound = 15 * time.Second

// boundOf is the bound of a table case's run: silentBound when its setup makes a site
// hang (respond hang), so a missing probe deadline fails that case by name in seconds;
// otherwise runIISKit's.
func boundOf(setup [][]string) time.Duration {
	for _, s := range setup {
		if len(s) == 4 && s[2] == "respond" && s[3] == "hang" {
			return silentBound
		}
	}
	return 90 * time.Second
}

// silentListener accepts connections on loopback and never writes to them, until the
// test ends: a server that hangs before its greeting.
func silentListener(t *testing.T) (ip, port string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	ip, port, _ = net.SplitHostPort(ln.Addr().String())
	return ip, port
}

// TestD46_FTPSilentGreeting: an FTP server that accepts and never greets is result 3
// (SPEC D4.6: every stage has a timeout, "no connection to an FTP site or it did not
// answer"), from the real binary, within its own short bound.
func TestD46_FTPSilentGreeting(t *testing.T) {
	t.Parallel()
	ip, port := silentListener(t)
	r := runWithin(t, silentBound, []string{"IISKIT_FTP_PASSWORD=probe"},
		"pollsite", "--probe-timeout", "300ms", "--ftp-user", "probe", "FTP", ip, port)
	if r.code != 3 || !strings.Contains(r.stderr, ": 3 (no FTP connection or answer)") {
		t.Errorf("exit %d, want 3 (no FTP connection or answer)\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
}

// TestD44_FTPSiteSilentBeforeGreetingIs9760: a deepcheck of an FTP site that accepts
// connections and never greets fails with 9760 and an empty server reply, within its
// own short bound.
func TestD44_FTPSiteSilentBeforeGreetingIs9760(t *testing.T) {
	t.Parallel()
	lab := startLab(t, ftp)
	lab.ctl("site", ftp.name, "respond", "hang")
	args := append([]string{"deepcheck", "--tag", "iis-ftp1", "--site", ftp.name, "--type", "FTP", "--ftp-user", "probe"}, fast...)
	r := runWithin(t, silentBound, append(lab.env, "IISKIT_FTP_PASSWORD=probe"), args...)
	r.expectLines(t, lab, 1, ftpFx.Line(9760, ""))
}

// ftpServer is a loopback FTP server that greets, answers USER with userReply and PASS
// with passReply, and QUIT with 221; it returns its address.
func ftpServer(t *testing.T, userReply, passReply string) (ip, port string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				c.SetDeadline(time.Now().Add(silentBound))
				c.Write([]byte("220 Ready\r\n"))
				br := bufio.NewReader(c)
				for {
					line, err := br.ReadString('\n')
					if err != nil {
						return
					}
					reply := "221 Bye\r\n"
					switch {
					case strings.HasPrefix(line, "USER "):
						reply = userReply
					case strings.HasPrefix(line, "PASS "):
						reply = passReply
					}
					if _, err := c.Write([]byte(reply)); err != nil || reply == "221 Bye\r\n" {
						return
					}
				}
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	ip, port, _ = net.SplitHostPort(ln.Addr().String())
	return ip, port
}

// TestD44_OnlyA230SpaceLineIsALogin: `pollsite FTP` against servers that answer the login
// with a bare "230", or with 200 or 202, to PASS or to USER, is result 3 (SPEC D4.4: a
// login needs a reply line starting with "230 "); with "230 ok" it is 0.
func TestD44_OnlyA230SpaceLineIsALogin(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, user, pass string
		want             int
	}{
		{"230 with text to PASS", "331 Password?\r\n", "230 ok\r\n", 0},
		{"a bare 230 to PASS", "331 Password?\r\n", "230\r\n", 3},
		{"200 to PASS", "331 Password?\r\n", "200 ok\r\n", 3},
		{"202 to PASS", "331 Password?\r\n", "202 superfluous\r\n", 3},
		{"a bare 230 to USER", "230\r\n", "", 3},
		{"200 to USER", "200 ok\r\n", "", 3},
		{"202 to USER", "202 superfluous\r\n", "", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ip, port := ftpServer(t, tc.user, tc.pass)
			r := runWithin(t, silentBound, []string{"IISKIT_FTP_PASSWORD=probe"},
				"pollsite", "--probe-timeout", "2s", "--ftp-user", "probe", "FTP", ip, port)
			if r.code != tc.want {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tc.want, r.stdout, r.stderr)
			}
		})
	}
}
