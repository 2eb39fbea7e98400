package event

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// seedPath is the original kit's description, beside the repository (SPEC.md: it wins
// where it and the SPEC disagree).
const seedPath = "../shared/spec/seed-iis-recovery-kit.ja.txt"

// seedTypos are the only deliberate differences from the seed: two quotes the original's
// document has in excess, which iiskit does not print.
var seedTypos = map[ID]string{
	RemoveServiceNotStarted: `a stray quote after "$SVCSTATEDESC" ("".)`,
	DeepFTPLoginFailed:      `a trailing quote after $FTPRESPONSE`,
}

// seedMessage is one message as the seed document writes it.
type seedMessage struct {
	Severity Severity
	Text     string
	Line     int
}

// seedEntry finds "Error 9705 text" (or Warning, Information); several may share a line,
// numbered "1) ... 2) ...", as 9754..9759 are.
var seedEntry = regexp.MustCompile(`(?:^|\s)(?:\d\)\s*)?(Error|Warning|Information) (9\d{3}) `)

// parseSeed reads every numbered message of the seed document. A text is the rest of its
// line up to the next message; quotes around the whole text are dropped and \" is a quote.
func parseSeed(t *testing.T, data string) map[ID]seedMessage {
	t.Helper()
	out := map[ID]seedMessage{}
	for n, line := range strings.Split(data, "\n") {
		line = strings.TrimRight(line, "\r")
		idx := seedEntry.FindAllStringSubmatchIndex(line, -1)
		for i, m := range idx {
			end := len(line)
			if i+1 < len(idx) {
				end = idx[i+1][0]
			}
			sev := map[string]Severity{"Error": Error, "Warning": Warning, "Information": Information}[line[m[2]:m[3]]]
			id, _ := strconv.Atoi(line[m[4]:m[5]])
			text := strings.TrimSpace(line[m[1]:end])
			if len(text) >= 2 && strings.HasPrefix(text, `"`) && strings.HasSuffix(text, `"`) {
				text = text[1 : len(text)-1]
			}
			text = strings.ReplaceAll(text, `\"`, `"`)
			if prev, dup := out[ID(id)]; dup {
				t.Fatalf("seed lines %d and %d both define %d", prev.Line, n+1, id)
			}
			out[ID(id)] = seedMessage{Severity: sev, Text: text, Line: n + 1}
		}
	}
	return out
}

// readSeed finds the seed beside the repository's root; without it the test fails under
// CI and is skipped elsewhere.
func readSeed(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
	path := filepath.Join(dir, filepath.FromSlash(seedPath))
	b, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the seed document is required under CI: %v", err)
		}
		t.Skipf("no seed document: %v", err)
	}
	return string(b)
}

// TestCatalogMatchesSeed compares the original's 26 messages, ID, severity and text
// character by character, with the seed document itself rather than with a copy.
func TestCatalogMatchesSeed(t *testing.T) {
	seed := parseSeed(t, readSeed(t))
	if len(seed) != 26 {
		t.Errorf("the seed defines %d messages, want 26", len(seed))
	}
	for id, s := range seed {
		m, ok := Lookup(id)
		if !ok {
			t.Errorf("%d (seed line %d) is not in the catalogue", id, s.Line)
			continue
		}
		if m.Severity != s.Severity {
			t.Errorf("%d: severity %s, the seed says %s", id, m.Severity, s.Severity)
		}
		if typo, deliberate := seedTypos[id]; deliberate {
			if m.Text == s.Text {
				t.Errorf("%d: the seed's typo (%s) is no longer in the seed or is now in the catalogue", id, typo)
			}
			continue
		}
		if m.Text != s.Text {
			t.Errorf("%d: text differs from the seed (line %d)\n got %s\nseed %s", id, s.Line, m.Text, s.Text)
		}
	}
	for _, m := range Catalog() {
		if _, inSeed := seed[m.ID]; m.ID < 9800 && !inSeed {
			t.Errorf("%d is in the catalogue's original range but not in the seed", m.ID)
		}
	}
}

// TestSeedTyposAreOnlyQuotes pins the two deliberate differences to exactly one excess
// quote each.
func TestSeedTyposAreOnlyQuotes(t *testing.T) {
	seed := parseSeed(t, readSeed(t))
	for id, want := range map[ID]func(ours string) string{
		RemoveServiceNotStarted: func(s string) string { return strings.TrimSuffix(s, `".`) + `"".` },
		DeepFTPLoginFailed:      func(s string) string { return s + `"` },
	} {
		m, _ := Lookup(id)
		if got := seed[id].Text; got != want(m.Text) {
			t.Errorf("%d: seed %q, want the catalogue's text with one excess quote: %q", id, got, want(m.Text))
		}
	}
}

func TestParseSeed(t *testing.T) {
	got := parseSeed(t, `Error 9705 "a \"b\" c."
1) Error 9754 one. 2) Warning 9755 two $X. 3) Information 9756 three
Error 9606 "x \"$S" y."
`)
	want := map[ID]seedMessage{
		9705: {Error, `a "b" c.`, 1},
		9754: {Error, `one.`, 2},
		9755: {Warning, `two $X.`, 2},
		9756: {Information, `three`, 2},
		9606: {Error, `x "$S" y.`, 3},
	}
	if len(got) != len(want) {
		t.Errorf("got %d messages, want %d: %+v", len(got), len(want), got)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%d: got %+v, want %+v", id, got[id], w)
		}
	}
}
