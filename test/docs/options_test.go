package docs_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iiskit/iiskit/internal/invocation"
	"github.com/iiskit/iiskit/internal/resource"
)

// TestCLIDocNamesEveryOptionAndSetting: docs/reference/cli.md names every resource
// option (its key and its flag) and every common setting's flag, as the code's tables
// define them, so an option added to the table without its documentation fails here.
func TestCLIDocNamesEveryOptionAndSetting(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "reference", "cli.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, o := range resource.OptionTable {
		if o.Where&resource.InFile != 0 && !strings.Contains(doc, "`"+o.Key+"`") {
			t.Errorf("cli.md does not name the resource file key %s", o.Key)
		}
		if o.Where&resource.InFlag != 0 && !strings.Contains(doc, "`--"+o.Flag) {
			t.Errorf("cli.md does not name the flag --%s", o.Flag)
		}
	}
	for _, st := range invocation.SettingTable {
		if !strings.Contains(doc, "`--"+st.Flag) {
			t.Errorf("cli.md does not name the flag --%s", st.Flag)
		}
		if st.Param != "" && !strings.Contains(doc, "`"+st.Param+"`") {
			t.Errorf("cli.md does not name the OCF parameter %s", st.Param)
		}
	}
}
