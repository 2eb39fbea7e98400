package msgtable

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/iiskit/iiskit/internal/event"
)

// syso is the committed resource, relative to this package.
var syso = filepath.Join("..", "..", "..", "cmd", "iiskit", "rsrc_windows_amd64.syso")

// checkTable asserts a table holds exactly First..Last, each rendering its first
// insertion string, and so every catalogue ID.
func checkTable(t *testing.T, got map[uint32]string) {
	t.Helper()
	if len(got) != Last-First+1 {
		t.Errorf("%d messages, want %d", len(got), Last-First+1)
	}
	for id := uint32(First); id <= Last; id++ {
		if text, ok := got[id]; !ok || text != Text+"\r\n" && text != Text {
			t.Errorf("message %d = %q, %v; want %q", id, text, ok, Text)
		}
	}
	for _, m := range event.Catalog() {
		if _, ok := got[uint32(m.ID)]; !ok {
			t.Errorf("catalogue event %d is not in the message table", m.ID)
		}
	}
}

// TestCommittedSysoIsUpToDate reads the committed .syso back: it must hold the table
// MC() describes, which covers the catalogue.
func TestCommittedSysoIsUpToDate(t *testing.T) {
	f, err := os.Open(syso)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := Read(f)
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, got)
}

// TestCatalogueInRange: a catalogue ID outside the table would show "description not
// found" in Event Viewer; widen First..Last and regenerate.
func TestCatalogueInRange(t *testing.T) {
	for _, m := range event.Catalog() {
		if m.ID < First || m.ID > Last {
			t.Errorf("event %d is outside the message table's %d..%d", m.ID, First, Last)
		}
	}
}

// TestRegenerateMatches rebuilds the .syso with mingw's tools, where they are
// installed, and compares bytes: the generator is deterministic.
func TestRegenerateMatches(t *testing.T) {
	if _, err := exec.LookPath("x86_64-w64-mingw32-windres"); err != nil {
		t.Skip("mingw windres not installed (scripts/wine.sh installs it)")
	}
	out := filepath.Join(t.TempDir(), "r.syso")
	cmd := exec.Command("go", "run", "./gen", "-o", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	a, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(syso)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("the committed .syso differs from a fresh one: run go generate ./internal/event/msgtable and commit")
	}
}

// TestExeCarriesTable builds the Windows iiskit.exe and reads the table out of it.
func TestExeCarriesTable(t *testing.T) {
	if testing.Short() {
		t.Skip("builds iiskit.exe")
	}
	exe := filepath.Join(t.TempDir(), "iiskit.exe")
	cmd := exec.Command("go", "build", "-o", exe, "../../../cmd/iiskit")
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build iiskit.exe: %v\n%s", err, b)
	}
	f, err := os.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := Read(f)
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, got)
}

func TestReadRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"garbage", []byte("MZ not really a PE file at all")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Read(bytes.NewReader(tc.in)); err == nil {
				t.Error("want an error")
			}
		})
	}
}
