package labtest

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// ReadyPrefix starts the line `iiskit lab serve` prints on stdout once its control API
// listens; the rest of the line is the API's URL with the real port.
const ReadyPrefix = "iiskit lab host listening on "

// Serve runs `bin lab serve --listen IP:0 ARGS...` (bin is an iiskit binary; IP a
// loopback address, e.g. from IP) and returns the control API's URL once the process
// reports it. The process is interrupted, and waited for, when the test ends; its stderr
// is logged if the test failed.
func Serve(t testing.TB, bin, ip string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	argv := append([]string{"lab", "serve", "--listen", ip + ":0"}, args...)
	cmd := exec.CommandContext(ctx, bin, argv...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	stderr := &Buffer{}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("starting %s %q: %v", bin, argv, err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("lab host stderr:\n%s", stderr.String())
		}
	})
	ready := make(chan string, 1)
	go func() {
		defer close(ready)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), ReadyPrefix); ok {
				ready <- strings.TrimSpace(u)
				break
			}
		}
		_, _ = io.Copy(io.Discard, out) // keep draining until the process ends
	}()
	timer := time.NewTimer(serveReady)
	defer timer.Stop()
	select {
	case u, ok := <-ready:
		if !ok {
			t.Fatalf("lab host ended before it was ready: %s", stderr.String())
		}
		return u
	case <-timer.C:
		t.Fatalf("lab host not ready within %v: %s", serveReady, stderr.String())
	}
	return ""
}
