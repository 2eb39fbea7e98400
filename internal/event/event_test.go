package event

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestCatalogGolden pins the whole catalogue, IDs, severities and texts, to a golden
// file: a change to an original message is a compatibility break and must be deliberate.
func TestCatalogGolden(t *testing.T) {
	var b bytes.Buffer
	for _, m := range Catalog() {
		fmt.Fprintf(&b, "%d\t%s\t%s\n", m.ID, m.Severity, m.Text)
	}
	golden := filepath.Join("testdata", "catalog.golden")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("catalogue differs from %s (run with -update if the change is deliberate):\n%s", golden, b.String())
	}
}

func TestCatalogHasTheOriginal26(t *testing.T) {
	var original int
	for _, m := range Catalog() {
		if m.ID < 9800 {
			original++
		}
	}
	if original != 26 {
		t.Errorf("%d original messages, want 26", original)
	}
}

// render is the message text New gives for id and f.
func render(id ID, f Fields) (string, error) {
	e, err := New(time.Time{}, "test", id, f)
	return e.Message, err
}

func TestRenderSinglePass(t *testing.T) {
	got, err := render(QuickServiceStopped, Fields{Tag: "t", Site: `$SYS "x"`, System: "NODE1", ServiceName: "W3SVC", ServiceCode: 3})
	want := `Checking LifeKeeper resource "t". IIS Service "W3SVC" on system NODE1 is not in the started state as required for site "$SYS "x"". StateCode = 3.`
	if err != nil || got != want {
		t.Errorf("Render = %q, %v\nwant %q", got, err, want)
	}
	got, _ = render(RestoreBindingInUse, Fields{Site: "A", Binding: "127.0.0.1:80:", ActiveSite: "B"})
	if got != `IIS Site A can not be started because its IP:Port:Header binding (127.0.0.1:80:) is currently in use on site "B".` {
		t.Errorf("Render 9422 = %q", got)
	}
	if _, err := render(1, Fields{}); err == nil {
		t.Error("Render of an unknown ID succeeded")
	}
}

func TestSinks(t *testing.T) {
	e, err := New(time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("x", 3600)), "quickcheck", QuickSiteNotStarted,
		Fields{Tag: "iis-www1", Site: "Default Web Site", System: "NODE1", SiteState: "Stopped"})
	if err != nil {
		t.Fatal(err)
	}
	var text, js bytes.Buffer
	if err := (Multi{NewTextSink(&text), NewJSONSink(&js)}).Emit(e); err != nil {
		t.Fatal(err)
	}
	wantText := `Error 9704: Checking LifeKeeper resource "iis-www1". IIS Site "Default Web Site" on system NODE1 is not in the started state. Current state is "Stopped".` + "\n"
	if text.String() != wantText {
		t.Errorf("text line = %q", text.String())
	}
	var m map[string]any
	if err := json.Unmarshal(js.Bytes(), &m); err != nil || !strings.HasSuffix(js.String(), "}\n") || strings.Count(js.String(), "\n") != 1 {
		t.Fatalf("json line %q: %v", js.String(), err)
	}
	for k, want := range map[string]any{"time": "2026-11-25T09:00:00Z", "id": 9704.0, "severity": "Error", "action": "quickcheck", "tag": "iis-www1", "message": strings.TrimSuffix(wantText[len("Error 9704: "):], "\n")} {
		if m[k] != want {
			t.Errorf("json %s = %v, want %v", k, m[k], want)
		}
	}
}
