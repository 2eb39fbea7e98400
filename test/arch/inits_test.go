package arch_test

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// ownInitBudget is the most one of iiskit's own packages may allocate in its package
// initialisation. Go runs every linked package's inits before main, so a help, a
// template, a regular expression or a table built in a package-level var is paid by
// every check a cluster manager starts; such things are built on first use instead.
// Small static tables (a few maps of names) stay well under it; the adapters' helps,
// each describing a flag set of every option, were 10 to 12 KB each.
const ownInitBudget = 2048

// TestOwnInitsAllocateLittle runs `iiskit version` with GODEBUG=inittrace=1 (the binary
// as built for Linux, which links every package the Windows exe links but the
// Windows-only ones, and the lab host) and fails when a package of this module allocates
// more than ownInitBudget bytes before main. Standard and third-party packages are not
// held to it: what they cost is in docs/performance.md.
func TestOwnInitsAllocateLittle(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	bin := filepath.Join(t.TempDir(), "iiskit")
	build := exec.Command("go", "build", "-o", bin, "./cmd/iiskit")
	build.Dir = filepath.Join("..", "..")
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/iiskit: %v\n%s", err, out)
	}
	run := exec.Command(bin, "version")
	run.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	run.Stderr = &stderr
	if err := run.Run(); err != nil {
		t.Fatalf("iiskit version: %v\n%s", err, stderr.Bytes())
	}
	own := 0
	sc := bufio.NewScanner(bytes.NewReader(stderr.Bytes()))
	for sc.Scan() {
		// init github.com/iiskit/iiskit/internal/cli @1.8 ms, 0.004 ms clock, 72 bytes, 2 allocs
		f := strings.Fields(sc.Text())
		if len(f) < 11 || f[0] != "init" || f[8] != "bytes," {
			continue
		}
		if !strings.HasPrefix(f[1], module+"/") {
			continue
		}
		own++
		n, err := strconv.Atoi(f[7])
		if err != nil {
			t.Fatalf("inittrace line %q: bytes %q: %v", sc.Text(), f[7], err)
		}
		if n > ownInitBudget {
			t.Errorf("%s allocates %d bytes in its package inits (at most %d): build what only some commands need on first use (sync.OnceValue)",
				strings.TrimPrefix(f[1], module+"/"), n, ownInitBudget)
		}
	}
	if own == 0 {
		t.Fatalf("GODEBUG=inittrace=1 listed no package of %s: its output is not what this test expects:\n%s", module, stderr.Bytes())
	}
}
