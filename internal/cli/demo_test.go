//go:build !windows && !iiskit_nolab

package cli

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// TestDemo runs the README's first command in-process: every step must behave as the
// narration says.
func TestDemo(t *testing.T) {
	var out bytes.Buffer
	code := Main(context.Background(), []string{"demo"}, Streams{Getenv: os.Getenv, Stdout: &out, Stderr: &out})
	if code != 0 {
		t.Fatalf("demo exit %d:\n%s", code, out.String())
	}
	for _, want := range []string{"Information 9407:", "Error 9759:", "Error 9705:", "Information 9558:", "Error 9704:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
}

func TestUsage(t *testing.T) {
	var out bytes.Buffer
	s := Streams{Getenv: func(string) string { return "" }, Stdout: &out, Stderr: &out}
	if code := Main(context.Background(), nil, s); code != 2 {
		t.Errorf("no arguments: exit %d, want 2", code)
	}
	if code := Main(context.Background(), []string{"version"}, s); code != 0 || !strings.HasPrefix(out.String()[strings.LastIndex(out.String(), "iiskit "):], "iiskit ") {
		t.Errorf("version: exit %d, %q", code, out.String())
	}
}
