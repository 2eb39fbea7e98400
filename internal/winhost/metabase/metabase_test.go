package metabase

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/iiskit/iiskit/internal/platform"
)

var update = flag.Bool("update", false, "rewrite the golden files")

type fixture struct {
	Protocol string         `json:"protocol"`
	Settings []Setting      `json:"settings"`
	States   map[string]int `json:"states"`
}

func TestSitesGolden(t *testing.T) {
	for _, name := range []string{"smtp-wmi", "ftp6-wmi"} {
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join("testdata", name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			var f fixture
			if err := json.Unmarshal(in, &f); err != nil {
				t.Fatal(err)
			}
			sites, err := Sites(f.Protocol, f.Settings, f.States)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.MarshalIndent(sites, "", "  ")
			got = append(got, '\n')
			path := filepath.Join("testdata", name+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(bytes.ReplaceAll(want, []byte("\r\n"), []byte("\n")), got) {
				t.Errorf("differs from %s:\n%s", path, got)
			}
		})
	}
}

func TestSitesRejectGarbage(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    Setting
	}{
		{"bad instance", Setting{Name: "SmtpSvc"}},
		{"instance zero", Setting{Name: "SmtpSvc/0"}},
		{"bad port", Setting{Name: "SmtpSvc/1", ServerBindings: []ServerBinding{{Port: "x"}}}},
		{"ipv6 unbracketed", Setting{Name: "SmtpSvc/1", ServerBindings: []ServerBinding{{IP: "::1", Port: "25"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := Sites("smtp", []Setting{tc.s}, nil); err == nil {
				t.Errorf("got %v, want an error", got)
			}
		})
	}
}

func TestSiteState(t *testing.T) {
	want := map[int]platform.SiteState{0: platform.SiteUnknown, 1: platform.SiteStarting, 2: platform.SiteStarted, 3: platform.SiteStopping, 4: platform.SiteStopped, 5: platform.SiteUnknown, 6: platform.SiteUnknown, 7: platform.SiteUnknown, 99: platform.SiteUnknown}
	for in, w := range want {
		if got := SiteState(in); got != w {
			t.Errorf("SiteState(%d) = %v, want %v", in, got, w)
		}
	}
}

// TestBinding: one embedded ServerBinding object as WMI gives it (IP, Port and Hostname
// strings; an empty IP is every address, as in the metabase's ":25:") becomes a binding.
func TestBinding(t *testing.T) {
	for _, tc := range []struct {
		in   ServerBinding
		want string // the binding's Info, or "error"
	}{
		{ServerBinding{Port: "25"}, "*:25:"},
		{ServerBinding{IP: "192.168.1.5", Port: "25"}, "192.168.1.5:25:"},
		{ServerBinding{IP: "10.0.0.1", Port: "587", Hostname: "mail.example.com"}, "10.0.0.1:587:mail.example.com"},
		{ServerBinding{IP: " 10.0.0.1 ", Port: " 25 "}, "10.0.0.1:25:"},
		{ServerBinding{Port: "0"}, "error"},
		{ServerBinding{IP: "10.0.0.1"}, "error"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			got := "error"
			if b, err := Binding("smtp", tc.in); err == nil {
				got = b.Info()
			}
			if got != tc.want {
				t.Errorf("Binding(smtp, %+v) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}
