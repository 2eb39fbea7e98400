package e2e

import (
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
