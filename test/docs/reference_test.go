package docs_test

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/iiskit/iiskit/internal/event"
)

var update = flag.Bool("update", false, "rewrite the generated part of docs/reference/events.md")

// generatedMark separates the hand-written introduction of events.md from the table the
// catalogue writes.
const generatedMark = "<!-- The table below is written from the catalogue by: go test ./test/docs -run TestEventsDoc -update -->\n"

// eventsTable renders the whole catalogue as the Markdown table of events.md.
func eventsTable() string {
	var b strings.Builder
	b.WriteString("| ID | severity | text |\n|---|---|---|\n")
	for _, m := range event.Catalog() {
		text := strings.ReplaceAll(m.Text, "|", `\|`)
		fmt.Fprintf(&b, "| %d | %s | %s |\n", m.ID, m.Severity, text)
	}
	return b.String()
}

// TestEventsDocMatchesCatalogue: docs/reference/events.md lists every event of the
// catalogue with its severity and text, and nothing else.
func TestEventsDocMatchesCatalogue(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "reference", "events.md")
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	intro, table, ok := strings.Cut(string(doc), generatedMark)
	if !ok {
		t.Fatalf("%s lacks the line %q", path, strings.TrimSpace(generatedMark))
	}
	want := eventsTable()
	if *update {
		if err := os.WriteFile(path, []byte(intro+generatedMark+want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if table != want {
		t.Errorf("%s is not the catalogue's table; run: go test ./test/docs -run TestEventsDoc -update\n--- doc\n%s\n--- catalogue\n%s", path, table, want)
	}
}

// specRef is a rule cited in the code: "SPEC Q1", "SPEC D4.6", "SPEC S4".
var specRef = regexp.MustCompile(`SPEC ([QDRMCPS][0-9]+(?:\.[0-9]+)*)`)

// TestBehaviourDefinesEveryCitedRule: every rule number the code cites ("SPEC R4") is
// defined in docs/reference/behaviour.md, which is the repository's copy of the rules.
func TestBehaviourDefinesEveryCitedRule(t *testing.T) {
	root := filepath.Join("..", "..")
	doc, err := os.ReadFile(filepath.Join(root, "docs", "reference", "behaviour.md"))
	if err != nil {
		t.Fatal(err)
	}
	cited := map[string]string{}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range specRef.FindAllStringSubmatch(string(src), -1) {
			if _, ok := cited[m[1]]; !ok {
				cited[m[1]] = path
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cited) < 10 {
		t.Fatalf("found only %d cited rules; the scan is broken", len(cited))
	}
	for rule, where := range cited {
		if !strings.Contains(string(doc), "**"+rule+"**") {
			t.Errorf("%s cites SPEC %s, which docs/reference/behaviour.md does not define", where, rule)
		}
	}
}

// TestDocsStayInsideTheRepository: no document sends its reader to a file outside the
// repository (the team's working copies of the contract live elsewhere).
func TestDocsStayInsideTheRepository(t *testing.T) {
	root := filepath.Join("..", "..")
	files := []string{filepath.Join(root, "README.md")}
	_ = filepath.WalkDir(filepath.Join(root, "docs"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".md") {
			files = append(files, path)
		}
		return nil
	})
	outside := regexp.MustCompile(`\.\./shared|shared/spec|shared/reference|\bSPEC\.md\b|\bCLI\.md\b`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if outside.MatchString(line) {
				t.Errorf("%s:%d refers to a document outside the repository: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}
