// Command gen compiles package msgtable's message table into a Go .syso with mingw's
// windmc and windres (Debian: binutils-mingw-w64-x86-64). Run it with go generate in
// internal/event/msgtable; commit the .syso it writes.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/iiskit/iiskit/internal/event/msgtable"
)

func main() {
	out := flag.String("o", "rsrc_windows_amd64.syso", "the .syso to write")
	prefix := flag.String("tools", "x86_64-w64-mingw32-", "prefix of the windmc and windres commands")
	flag.Parse()
	if err := run(*out, *prefix); err != nil {
		fmt.Fprintln(os.Stderr, "msgtable gen:", err)
		os.Exit(1)
	}
}

func run(out, prefix string) error {
	dir, err := os.MkdirTemp("", "msgtable-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "iiskit.mc"), msgtable.MC(), 0o644); err != nil {
		return err
	}
	if err := tool(dir, prefix+"windmc", "-r", ".", "-h", ".", "iiskit.mc"); err != nil {
		return err
	}
	syso := filepath.Join(dir, "rsrc.syso")
	if err := tool(dir, prefix+"windres", "-i", "iiskit.rc", "-O", "coff", "-o", syso); err != nil {
		return err
	}
	b, err := os.ReadFile(syso)
	if err != nil {
		return err
	}
	got, err := msgtable.Read(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("check the result: %w", err)
	}
	if len(got) != msgtable.Last-msgtable.First+1 {
		return fmt.Errorf("check the result: %d messages, want %d", len(got), msgtable.Last-msgtable.First+1)
	}
	return os.WriteFile(out, b, 0o644)
}

func tool(dir, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %w\n%s", name, err, b)
	}
	return nil
}
