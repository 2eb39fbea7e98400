//go:build windows

package wsfc

import (
	"strings"
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

// TestPercentEncodingWindows checks the script's answer to Run's expansion of %NAME%
// with Windows' own ExpandEnvironmentStringsW: with PercentVar set to "%", a command line
// whose every percent sign is written %PercentVar% expands back to itself, whatever
// variables its text names.
func TestPercentEncodingWindows(t *testing.T) {
	t.Setenv(PercentVar, "%")
	t.Setenv("IISKITTESTVAR", "expanded!")
	args := append(hostile, "%IISKITTESTVAR%", "%%IISKITTESTVAR%%", "%"+PercentVar+"%", "a%b%c", "%")
	line := `"C:\Program Files\iiskit\iiskit.exe" ` + CommandLine(args)
	encoded := strings.ReplaceAll(line, "%", "%"+PercentVar+"%")
	src, err := windows.UTF16PtrFromString(encoded)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]uint16, 4*len(encoded)+64)
	n, err := windows.ExpandEnvironmentStrings(src, &buf[0], uint32(len(buf)))
	if err != nil || n == 0 {
		t.Fatalf("ExpandEnvironmentStrings: %v", err)
	}
	if got := windows.UTF16ToString(buf[:n]); got != line {
		t.Errorf("expanded to\n%s\nwant\n%s", got, line)
	}
	// Without the encoding, Run would have changed the line: the test can fail.
	src, _ = windows.UTF16PtrFromString(line)
	n, _ = windows.ExpandEnvironmentStrings(src, &buf[0], uint32(len(buf)))
	if windows.UTF16ToString(buf[:n]) == line {
		t.Error("the unencoded line did not change: nothing was tested")
	}
}
