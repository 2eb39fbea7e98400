//go:build !windows

package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// eventsFile reads the IDs of a --events file.
func eventsFile(t *testing.T, path string) []int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("events file: %v", err)
	}
	defer f.Close()
	var ids []int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e jsonEvent
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("events file line %q: %v", sc.Text(), err)
		}
		ids = append(ids, e.ID)
	}
	return ids
}

// TestHardening2_FIFOsDoNotBlock: --events, --config and --ftp-password-file naming a
// FIFO (no writer, no reader) are refused at once with exit 2.
func TestHardening2_FIFOsDoNotBlock(t *testing.T) {
	t.Parallel()
	lab := startLab(t, web, ftp)
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"--events":            w3Args("quickcheck", web.name, "--events", fifo),
		"--config":            {"quickcheck", "--tag", "iis-www1", "--config", fifo},
		"--ftp-password-file": {"deepcheck", "--tag", "f", "--site", ftp.name, "--type", "FTP", "--ftp-user", "probe", "--ftp-password-file", fifo},
	} {
		r := lab.run(args...)
		if r.code != 2 || !strings.Contains(r.stderr, "not a regular file (a named pipe)") || r.elapsed > 20*time.Second {
			t.Errorf("%s FIFO: exit %d after %v, stderr %q", name, r.code, r.elapsed, r.stderr)
		}
	}
}

// TestHardening2_SIGTERMEndsTheActionWithItsEvents: a restore waiting on a service that
// hangs in StartPending, sent SIGTERM, fails its step with 9409 and closes with 9408, on
// stdout and in the events file, long before its deadline.
func TestHardening2_SIGTERMEndsTheActionWithItsEvents(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		lab := startLab(t, web)
		lab.ctl("service", "W3SVC", "state", "Stopped")
		lab.ctl("service", "W3SVC", "on-start", "hang")
		events := filepath.Join(t.TempDir(), "events.jsonl")
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		cmd := exec.CommandContext(ctx, bin, w3Args("restore", web.name, "--timeout", "80s", "--events", events)...)
		cmd.Env = append(os.Environ(), lab.env...)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the restore has asked for the start: the service is pending.
		for !strings.Contains(lab.run("lab", "status", "--json").stdout, "StartPending") {
			if ctx.Err() != nil {
				t.Fatal("the restore never started the service")
			}
			time.Sleep(20 * time.Millisecond) // polling another process's state
		}
		start := time.Now()
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		cancel()
		code := -1
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		r := result{code: code, stdout: stdout.String(), stderr: stderr.String()}
		dec := json.NewDecoder(strings.NewReader(r.stdout))
		for {
			var e jsonEvent
			if dec.Decode(&e) != nil {
				break
			}
			r.events = append(r.events, e)
		}
		r.expect(t, 1, 9409, 9408)
		if got := eventsFile(t, events); fmt.Sprint(got) != "[9409 9408]" {
			t.Errorf("%v: events file %v", sig, got)
		}
		if waited := time.Since(start); waited > 30*time.Second {
			t.Errorf("%v: ended %v after the signal", sig, waited)
		}
	}
}

// TestHardening7_ClosedStdoutKeepsTheEventsFile: with --json and a stdout nobody reads
// (the pipe's read end closed), the events still reach the --events file.
func TestHardening7_ClosedStdoutKeepsTheEventsFile(t *testing.T) {
	t.Parallel()
	lab := startLab(t, web)
	lab.ctl("site", web.name, "state", "Stopped")
	events := filepath.Join(t.TempDir(), "events.jsonl")
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	pr.Close()
	cmd := exec.Command(bin, w3Args("quickcheck", web.name, "--events", events)...)
	cmd.Env = append(os.Environ(), lab.env...)
	cmd.Stdout = pw
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err = cmd.Run()
	pw.Close()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 1 {
		t.Errorf("exit: %v (want 1, not a death by SIGPIPE); stderr %q", err, stderr.String())
	}
	if got := eventsFile(t, events); fmt.Sprint(got) != "[9704]" {
		t.Errorf("events file %v, want [9704]", got)
	}
}

// TestHardening7_BadNamesAndPasswordFiles: a tag or site with a control character and a
// password file with a line break inside are definition errors (exit 2); a password file
// with a byte-order mark, as Notepad writes it, logs in.
func TestHardening7_BadNamesAndPasswordFiles(t *testing.T) {
	t.Parallel()
	lab := startLab(t, web, ftp)
	for _, args := range [][]string{
		{"quickcheck", "--tag", "a\nError 9407: forged", "--site", web.name, "--type", "W3"},
		{"quickcheck", "--tag", "t", "--site", "Default\x1b[2JWeb Site", "--type", "W3"},
	} {
		if r := lab.run(args...); r.code != 2 || !strings.Contains(r.stderr, "control character") {
			t.Errorf("%q: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	dir := t.TempDir()
	pw := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ftpArgs := func(file string) []string {
		return append([]string{"deepcheck", "--tag", "iis-ftp1", "--site", ftp.name, "--type", "FTP", "--ftp-user", "probe", "--ftp-password-file", file}, fast...)
	}
	if r := lab.run(ftpArgs(pw("inner", "pro\nbe\n"))...); r.code != 2 || !strings.Contains(r.stderr, "line break") || len(r.events) != 0 {
		t.Errorf("inner newline: exit %d, events %v, stderr %q", r.code, r.ids(), r.stderr)
	}
	lab.run(ftpArgs(pw("bom", "\ufeffprobe\r\n"))...).expect(t, 0)
}
