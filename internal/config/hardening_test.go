package config

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// hostileFiles are the resource files of issue 8 item 1 that exhausted memory or time
// before the bounds, each with the message it must now give.
func hostileFiles() map[string]struct {
	data string
	want string
} {
	return map[string]struct {
		data string
		want string
	}{
		"inline tables 8,000 deep": {"x = " + strings.Repeat("{a=", 8000) + "1" + strings.Repeat("}", 8000) + "\n",
			"f.toml:1: arrays or inline tables nested more than 32 deep"},
		"arrays 100,000 deep": {"x = " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n",
			"f.toml:1: arrays or inline tables nested more than 32 deep"},
		"header of 100,000 dotted parts": {"[defaults]\nretry_interval = \"1s\"\n[" + strings.Repeat("a.", 99999) + "a]\n",
			"f.toml:3: a dotted key with more than 4 parts"},
		"key of 100,000 dotted parts": {strings.Repeat(`"a".`, 99999) + "a = 1\n",
			"f.toml:1: a dotted key with more than 4 parts"},
		"nesting hidden after a multi-line string": {"x = [ \"\"\"a\"\"\"\", " + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "]\n",
			"f.toml:1: arrays or inline tables nested more than 32 deep"},
		"a 200 KB unknown key is quoted clipped": {"[defaults]\n" + strings.Repeat("k", 200000) + " = 1\n",
			"f.toml:2: key defaults." + strings.Repeat("k", 191) + "... (200009 bytes): unknown key"},
	}
}

// TestHardening1_ResourceFileBounds: every hostile file of issue 8 is a definition error
// naming the line and clipped, and strings and comments holding brackets and dots do not
// count against the bounds.
func TestHardening1_ResourceFileBounds(t *testing.T) {
	for name, tc := range hostileFiles() {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("f.toml", []byte(tc.data))
			var de *DefinitionError
			if !errors.As(err, &de) || err.Error() != tc.want {
				t.Errorf("error\n got %.400v\nwant %s", err, tc.want)
			}
		})
	}
	ok := "# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ a.b.c.d.e.f.g.h\n" +
		"[[resource]]\ntag = \"a\" # {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\n" +
		"site = \"" + strings.Repeat("[{.", 40) + "\"\ntype = 'W3'\nurl = '''/" + strings.Repeat("[.", 40) + "'''\n" +
		"expect_status = \"\"\"\n" + "200-399\"\"\"\n"
	f, err := Parse("ok.toml", []byte(ok))
	if err != nil || len(f.Resources) != 1 || f.Resources[0].Site != strings.Repeat("[{.", 40) {
		t.Fatalf("a file with brackets and dots in strings and comments: %v, %+v", err, f)
	}
}

// TestHardening1_LargestFileAndSize: a file of MaxFileSize bytes is read; one byte more,
// or a 100 MB file, is refused after reading at most MaxFileSize+1 bytes.
func TestHardening1_LargestFileAndSize(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := 0; ; i++ {
		r := fmt.Sprintf("[[resource]]\ntag=\"r%d\"\nsite=\"s\"\ntype=\"W3\"\n", i)
		if b.Len()+len(r) > MaxFileSize {
			break
		}
		b.WriteString(r)
	}
	full := b.String() + strings.Repeat("#", MaxFileSize-b.Len())
	path := filepath.Join(dir, "full.toml")
	if err := os.WriteFile(path, []byte(full), 0o600); err != nil {
		t.Fatal(err)
	}
	if f, err := Load(path); err != nil || len(f.Resources) < 20000 {
		t.Fatalf("a file of exactly MaxFileSize: %v", err)
	}
	if err := os.WriteFile(path, []byte(full+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "file too large") {
		t.Errorf("MaxFileSize+1 bytes: %v", err)
	}
	big := filepath.Join(dir, "big.toml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(100 << 20); err != nil { // sparse: 100 MB that costs no disk
		t.Fatal(err)
	}
	f.Close()
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "file too large") {
		t.Errorf("100 MB: %v", err)
	}
}

// TestHardening1_LocateUnknownKeyInLastOf20000: the unknown key of the last of 20,000
// resources is named with its line (the locator indexes the file once).
func TestHardening1_LocateUnknownKeyInLastOf20000(t *testing.T) {
	var b strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&b, "[[resource]]\ntag=\"r%d\"\nsite=\"s\"\ntype=\"W3\"\n", i)
	}
	b.WriteString("bogus = 1\n")
	_, err := Parse("f.toml", []byte(b.String()))
	if err == nil || err.Error() != "f.toml:80001: key resource.bogus: unknown key" {
		t.Errorf("error = %v", err)
	}
}

// TestHardening1_LoadUnderDeadline: loading happens under the action's context: an ended
// context ends it.
func TestHardening1_LoadUnderDeadline(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	path := filepath.Join("testdata", "good.toml")
	if _, err := LoadContext(ctx, path); !errors.Is(err, context.Canceled) {
		t.Errorf("LoadContext(cancelled) = %v", err)
	}
	if f, err := LoadContext(context.Background(), path); err != nil || len(f.Resources) == 0 {
		t.Errorf("LoadContext = %v", err)
	}
}

// FuzzParse feeds arbitrary resource files to Parse: no panic, and memory per input
// bounded (the decoder allocates at most a few hundred bytes per input byte within the bounds, never
// the gigabytes of unbounded nesting).
func FuzzParse(f *testing.F) {
	for _, name := range []string{"good.toml", "invalid-syntax.toml", "invalid-unknown-key.toml"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("x = " + strings.Repeat("{a=", 40) + "1" + strings.Repeat("}", 40)))
	f.Add([]byte("[a.b.c.d.e]\n"))
	f.Add([]byte("s = \"\"\"a\"\"\"\"\n[[resource]]\ntag='t'\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, _ = Parse("fuzz.toml", data)
		runtime.ReadMemStats(&after)
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20+1024*uint64(len(data)) {
			t.Errorf("parsing %d bytes allocated %d bytes", len(data), grew)
		}
	})
}
