package ocf

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// dtd is where resource-agents installs the OCF 1.0 DTD on Debian.
const dtd = "/usr/share/resource-agents/ra-api-1.dtd"

func TestMetaDataDTD(t *testing.T) {
	md, err := MetaDataXML("1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	xmllint, lookErr := exec.LookPath("xmllint")
	_, statErr := os.Stat(dtd)
	if lookErr != nil || statErr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI: xmllint (libxml2-utils) and %s (resource-agents) are required: %v %v", dtd, lookErr, statErr)
		}
		t.Skipf("xmllint or %s missing: %v %v", dtd, lookErr, statErr)
	}
	file := filepath.Join(t.TempDir(), "iis.xml")
	if err := os.WriteFile(file, md, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(xmllint, "--noout", "--dtdvalid", dtd, file).CombinedOutput(); err != nil {
		t.Fatalf("xmllint --dtdvalid: %v\n%s\n%s", err, out, md)
	}
}

// TestMetaDataContent reads the meta-data back: every parameter with its type and
// default, and a monitor at depth 0 and one at depth 10 with different intervals.
func TestMetaDataContent(t *testing.T) {
	md, err := MetaDataXML("1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	var got xmlAgent
	if err := xml.Unmarshal(md, &got); err != nil {
		t.Fatal(err)
	}
	if got.Name != "iis" || got.Version != "1.2.3" || got.APIVersion != "1.0" {
		t.Errorf("agent %q version %q api %q", got.Name, got.Version, got.APIVersion)
	}
	if len(got.Params) != len(Params()) {
		t.Fatalf("%d parameters, want %d", len(got.Params), len(Params()))
	}
	for i, p := range Params() {
		g := got.Params[i]
		if g.Name != p.Name || g.Content.Type != string(p.Type) || g.Content.Default != p.Default || g.Unique != bit(p.Unique) || g.Required != bit(p.Required) {
			t.Errorf("parameter %+v, want %+v", g, p)
		}
	}
	depths := map[string]string{}
	for _, a := range got.Actions {
		if a.Name == "monitor" {
			depths[a.Depth] = a.Interval
		}
	}
	if depths["0"] == "" || depths["10"] == "" || depths["0"] == depths["10"] {
		t.Errorf("monitors %v: want depth 0 and 10 at different intervals", depths)
	}
}
