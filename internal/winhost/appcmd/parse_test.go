package appcmd

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/iiskit/iiskit/internal/iisconfig"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// view is what the golden files hold: the raw listing and each service type's view of it,
// written out by the test itself so that no package's types carry a wire format for it.
type view struct {
	Sites []goldenSite      `json:"sites"`
	W3    []goldenSite      `json:"w3"`
	FTP   []goldenSite      `json:"ftp"`
	Bad   map[string]string `json:"bad,omitempty"`
}

// goldenSite is one site of a golden file; bindings are protocol/information strings.
type goldenSite struct {
	Name     string   `json:"name"`
	ID       int64    `json:"id"`
	State    string   `json:"state"`
	Bindings []string `json:"bindings"`
}

func rawGolden(s iisconfig.Site) goldenSite {
	g := goldenSite{Name: s.Name, ID: s.ID, State: s.State.String(), Bindings: []string{}}
	for _, b := range s.Bindings {
		g.Bindings = append(g.Bindings, b.String())
	}
	return g
}

func viewGolden(s platform.Site) goldenSite {
	g := goldenSite{Name: s.Name, ID: s.ID, State: s.State.String(), Bindings: []string{}}
	for _, b := range s.Bindings {
		g.Bindings = append(g.Bindings, b.String())
	}
	return g
}

func makeView(t *testing.T, sites []iisconfig.Site) view {
	t.Helper()
	v := view{Sites: []goldenSite{}, W3: []goldenSite{}, FTP: []goldenSite{}, Bad: map[string]string{}}
	for _, s := range sites {
		v.Sites = append(v.Sites, rawGolden(s))
		for _, typ := range []resource.Type{resource.W3, resource.FTP} {
			if typ == resource.W3 && !s.IsW3() || typ == resource.FTP && !s.HasProtocolOf(resource.FTP) {
				continue
			}
			ps, err := s.For(typ)
			if err != nil {
				v.Bad[typ.String()+" "+s.Name] = err.Error()
				continue
			}
			if typ == resource.W3 {
				v.W3 = append(v.W3, viewGolden(ps))
			} else {
				v.FTP = append(v.FTP, viewGolden(ps))
			}
		}
	}
	return v
}

func checkGolden(t *testing.T, name string, got any) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	path := filepath.Join("testdata", name+".golden.json")
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(bytes.ReplaceAll(want, []byte("\r\n"), []byte("\n")), b) {
		t.Errorf("%s differs from the golden file:\n%s", name, b)
	}
}

func TestParseGolden(t *testing.T) {
	for _, tc := range []struct {
		name  string
		file  string
		parse func([]byte) ([]iisconfig.Site, error)
	}{
		{"xml with /config", "list-config.xml", ParseXML},
		{"xml attributes only", "list-attributes.xml", ParseXML},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			sites, err := tc.parse(in)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			checkGolden(t, strings.TrimSuffix(tc.file, filepath.Ext(tc.file)), makeView(t, sites))
		})
	}
}

// TestXMLEncodings feeds the same listing with a UTF-8 mark and as UTF-16LE, the forms a
// console redirection can give; the non-ASCII name must come through intact.
func TestXMLEncodings(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "list-config.xml"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := ParseXML(in)
	if err != nil {
		t.Fatal(err)
	}
	u := utf16.Encode([]rune(strings.Replace(string(in), `encoding="UTF-8"`, `encoding="UTF-16"`, 1)))
	le := []byte{0xFF, 0xFE}
	for _, c := range u {
		le = append(le, byte(c), byte(c>>8))
	}
	for _, tc := range []struct {
		name string
		in   []byte
	}{
		{"utf-8 with mark", append([]byte{0xEF, 0xBB, 0xBF}, in...)},
		{"utf-16le", le},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseXML(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string
		parse func([]byte) ([]iisconfig.Site, error)
	}{
		{"empty xml", "", ParseXML},
		{"truncated xml", `<?xml version="1.0"?><appcmd><SITE SITE.NAME="a" SITE.ID="1"`, ParseXML},
		{"id not a number", `<appcmd><SITE SITE.NAME="a" SITE.ID="x" bindings="" state="Started"/></appcmd>`, ParseXML},
		{"id zero", `<appcmd><SITE SITE.NAME="a" SITE.ID="0" bindings="" state="Started"/></appcmd>`, ParseXML},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if sites, err := tc.parse([]byte(tc.in)); err == nil {
				t.Errorf("got %v, want an error", sites)
			}
		})
	}
}
