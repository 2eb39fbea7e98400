//go:build windows

package wsfc

import (
	"syscall"
	"testing"

	"golang.org/x/sys/windows"
)

// TestQuoteArgWindows checks QuoteArg against Windows itself: CommandLineToArgvW (through
// x/sys/windows.DecomposeCommandLine) gives every argument back, and QuoteArg writes
// exactly what Go's syscall.EscapeArg writes.
func TestQuoteArgWindows(t *testing.T) {
	line := `"C:\Program Files\iiskit\iiskit.exe" ` + CommandLine(hostile)
	got, err := windows.DecomposeCommandLine(line)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(hostile)+1 {
		t.Fatalf("parsed %d arguments, want %d: %q", len(got), len(hostile)+1, got)
	}
	for i, want := range hostile {
		if got[i+1] != want {
			t.Errorf("argument %d: %q, want %q", i, got[i+1], want)
		}
		if ref := syscall.EscapeArg(want); ref != QuoteArg(want) {
			t.Errorf("QuoteArg(%q) = %s, syscall.EscapeArg = %s", want, QuoteArg(want), ref)
		}
	}
}
