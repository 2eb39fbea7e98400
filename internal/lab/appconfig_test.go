package lab

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

func TestRealApplicationHostConfig(t *testing.T) {
	data, err := os.ReadFile("testdata/iisexpress-applicationhost.config")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "\xef\xbb\xbf") {
		t.Fatal("the fixture should start with a byte-order mark")
	}
	sites, err := parseAppHostConfig(data)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sites {
		got = append(got, strings.Join([]string{s.name, s.wire().Bindings[0], strings.Join(s.wire().Bindings, " "), s.types[0].String()}, "|"))
		if !s.autoStart {
			t.Errorf("site %q: serverAutoStart should default to true", s.name)
		}
	}
	want := []string{
		"WebSite1|http/*:8080:localhost|http/*:8080:localhost|W3",
		"WebAppWithAzureAD|http/*:31884:localhost|http/*:31884:localhost https/*:44351:localhost|W3",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("sites:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if sites[0].id != 1 || sites[1].id != 2 {
		t.Errorf("ids %d, %d", sites[0].id, sites[1].id)
	}
}

func TestAppHostConfigFixtures(t *testing.T) {
	tests := []struct {
		name    string
		sites   []string
		wantErr string // empty: no error
		check   func(t *testing.T, sites []*site)
	}{
		{
			name: "foreign protocols skipped, autostart false kept",
			sites: []string{siteXML("Mixed", `id="4" serverAutoStart="false"`,
				[2]string{"net.tcp", "808:*"}, [2]string{"net.pipe", "*"}, [2]string{"HTTP", "127.0.0.1:80:"}, [2]string{"ftp", "*:21:"})},
			check: func(t *testing.T, sites []*site) {
				s := sites[0]
				if len(s.bindings) != 2 || s.autoStart || len(s.types) != 2 {
					t.Errorf("got %+v", s.wire())
				}
			},
		},
		{
			// A site with no binding is a WAS (W3) site, as the Windows host types it
			// (iisconfig.TypesOf); a site with only WCF bindings too.
			name:  "site with no binding is W3",
			sites: []string{siteXML("Empty", `id="1"`), siteXML("WCF", `id="2"`, [2]string{"net.tcp", "808:*"})},
			check: func(t *testing.T, sites []*site) {
				for _, s := range sites {
					if len(s.types) != 1 || s.types[0] != resource.W3 || len(s.bindings) != 0 {
						t.Errorf("site %q: types %v bindings %v, want W3 and none", s.name, s.types, s.bindings)
					}
				}
			},
		},
		{
			// Loaded: Start leaves it Stopped with a warning (TestNonLoopbackSiteStaysStopped).
			name:  "non-loopback site is loaded",
			sites: []string{siteXML("Far", `id="1"`, [2]string{"ftp", "10.0.0.1:21:"})},
			check: func(t *testing.T, sites []*site) {
				if len(sites) != 1 || sites[0].name != "Far" || len(sites[0].bindings) != 1 {
					t.Errorf("got %+v", sites)
				}
			},
		},
		{name: "malformed binding names the site", sites: []string{siteXML("Broken", `id="1"`, [2]string{"http", "127.0.0.1:eighty:"})}, wantErr: `site "Broken"`},
		{name: "missing id", sites: []string{siteXML("NoID", ``, [2]string{"http", "*:80:"})}, wantErr: `site "NoID": id`},
		{name: "bad serverAutoStart", sites: []string{siteXML("Odd", `id="1" serverAutoStart="maybe"`)}, wantErr: `site "Odd": serverAutoStart`},
		{name: "duplicate names", sites: []string{siteXML("Same", `id="1"`), siteXML("SAME", `id="2"`)}, wantErr: `site "SAME"`},
		{name: "duplicate ids of one service", sites: []string{siteXML("A", `id="1"`, [2]string{"http", "*:81:"}), siteXML("B", `id="1"`, [2]string{"http", "*:82:"})}, wantErr: `site "B": id 1`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sites, _, err := readAppHostConfig(writeConfig(t, tc.sites...))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, sites)
		})
	}
	if _, err := parseAppHostConfig([]byte("<configuration><system.applicationHost><sites>")); err == nil || !strings.Contains(err.Error(), "well-formed") {
		t.Errorf("truncated file: %v", err)
	}
	if _, _, err := readAppHostConfig("testdata/does-not-exist.config"); err == nil {
		t.Error("missing file: no error")
	}
}

func TestDefaultHost(t *testing.T) {
	var got []string
	for _, s := range defaultSites() {
		got = append(got, s.name+"|"+s.types[0].String()+"|"+s.wire().Bindings[0]+"|"+strings.Repeat("I", int(s.id)))
	}
	want := "Default Web Site|W3|http/127.0.0.1:8080:|I\nDefault FTP Site|FTP|ftp/127.0.0.1:2121:|II\nDefault SMTP Virtual Server|SMTP|smtp/127.0.0.1:2525:|I"
	if strings.Join(got, "\n") != want {
		t.Fatalf("default host:\n%s", strings.Join(got, "\n"))
	}
}

// TestHostileSiteName sends a name full of shell and path metacharacters through the
// control API and back.
func TestHostileSiteName(t *testing.T) {
	const ip = "127.0.0.10"
	p := freePort(t, ip)
	_, c := startLab(t, writeConfig(t), 20*time.Millisecond)
	name := `x"; Remove-Item C:\ -Recurse; "$(id)&%PATH%' ü/../?#`
	mustSite(t, c, labapi.PathSiteAdd, labapi.SiteRequest{Name: name, Type: "W3", Bindings: []string{"http/" + addr(ip, p) + ":"}})
	sites, err := c.Sites(context.Background(), "W3")
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) != 1 || sites[0].Name != name || sites[0].State != platform.SiteStarted {
		t.Fatalf("sites %+v", sites)
	}
	mustSite(t, c, labapi.PathSiteStop, labapi.SiteRequest{Name: name, Type: "W3"})
	if s := siteOf(t, c, name); s.State != platform.SiteStopped {
		t.Fatalf("state %v", s.State)
	}
}
