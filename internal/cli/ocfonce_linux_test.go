package cli

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/iiskit/iiskit/internal/lab"
)

// TestOCFMonitorReadsItsFilesOnce: one OCF monitor resolves its definition once: the
// resource file and the FTP password file are each opened exactly once (counted by the
// kernel, inotify IN_OPEN), where the agent used to resolve everything a second time to
// run the action.
func TestOCFMonitorReadsItsFilesOnce(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.9.10:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	dir := t.TempDir()
	appHost := filepath.Join(dir, "applicationHost.config")
	if err := os.WriteFile(appHost, []byte(fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<configuration><system.applicationHost><sites>
<site name="Files" id="2"><bindings><binding protocol="ftp" bindingInformation="127.0.9.10:%d:" /></bindings></site>
</sites></system.applicationHost></configuration>`, port)), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := lab.Start(context.Background(), lab.Options{Listen: "127.0.0.1:0", ConfigFile: appHost, Hostname: "ONCE"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })

	pw := filepath.Join(dir, "pw.txt")
	res := filepath.Join(dir, "resources.toml")
	if err := os.WriteFile(pw, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(res, []byte("[[resource]]\ntag = \"ftp1\"\nsite = \"Files\"\ntype = \"FTP\"\nftp_user = \"probe\"\nftp_password_file = \"pw.txt\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	opens := watchOpens(t, pw, res)
	env := map[string]string{"OCF_RESOURCE_INSTANCE": "ftp1", "OCF_RESKEY_config": res, "OCF_RESKEY_platform": "lab",
		"OCF_RESKEY_lab": srv.URL(), "IISKIT_LOCK_DIR": t.TempDir()}
	code, _, stderr := ocfRun(t, nil, env, "monitor")
	if code != 0 {
		t.Fatalf("monitor: exit %d\n%s", code, stderr)
	}
	got := opens()
	for _, f := range []string{pw, res} {
		if got[f] != 1 {
			t.Errorf("%s opened %d times by one monitor, want 1", filepath.Base(f), got[f])
		}
	}
}

// watchOpens counts the opens of files from now on; the returned function reports them.
func watchOpens(t *testing.T, files ...string) func() map[string]int {
	t.Helper()
	fd, err := unix.InotifyInit1(unix.IN_NONBLOCK | unix.IN_CLOEXEC)
	if err != nil {
		t.Skipf("inotify: %v", err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	names := map[int32]string{}
	for _, f := range files {
		wd, err := unix.InotifyAddWatch(fd, f, unix.IN_OPEN)
		if err != nil {
			t.Fatal(err)
		}
		names[int32(wd)] = f
	}
	return func() map[string]int {
		count := map[string]int{}
		buf := make([]byte, 64<<10)
		for {
			n, err := unix.Read(fd, buf)
			if n <= 0 || err != nil {
				return count
			}
			for off := 0; off+unix.SizeofInotifyEvent <= n; {
				ev := (*unix.InotifyEvent)(unsafe.Pointer(&buf[off]))
				if ev.Mask&unix.IN_OPEN != 0 {
					count[names[ev.Wd]]++
				}
				off += unix.SizeofInotifyEvent + int(ev.Len)
			}
		}
	}
}
