package lab

import (
	"encoding/xml"
	"fmt"
	"html"
	"os"
	"strings"
	"testing"

	"github.com/iiskit/iiskit/internal/resource"
	"github.com/iiskit/iiskit/internal/winhost/appcmd"
)

// TestWindowsPathAgrees runs the same applicationHost.config through the lab's reader and
// through the Windows host's OS-neutral reader (appcmd's `list site /config /xml`, which
// embeds each <site> element as IIS holds it, parsed by appcmd.ParseXML, then typed and
// viewed by iisconfig as the Windows host's W3 and FTP listings are), and requires the
// same sites, ids and bindings in each service type's listing. The configurations: the
// public IIS Express file of testdata (see its README) and server shapes from Microsoft's
// documentation (testdata/server-applicationhost.config names each source).
func TestWindowsPathAgrees(t *testing.T) {
	for _, file := range []string{"testdata/iisexpress-applicationhost.config", "testdata/server-applicationhost.config"} {
		t.Run(file, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			labSites, err := parseAppHostConfig(data)
			if err != nil {
				t.Fatal(err)
			}
			winSites, err := appcmd.ParseXML(appcmdListing(t, data))
			if err != nil {
				t.Fatal(err)
			}
			if len(winSites) != len(labSites) {
				t.Fatalf("the Windows reader sees %d sites, the lab %d", len(winSites), len(labSites))
			}
			for _, typ := range resource.Types {
				var lab, win []string
				for _, s := range labSites {
					if s.serves(typ) {
						lab = append(lab, listed(s.name, s.id, s.bindingsOf(typ)))
					}
				}
				for _, s := range winSites {
					if !s.Listed(typ) {
						continue
					}
					v, err := s.For(typ)
					if err != nil {
						t.Fatalf("Windows view of %q for %s: %v", s.Name, typ, err)
					}
					win = append(win, listed(v.Name, v.ID, v.Bindings))
				}
				if strings.Join(lab, "\n") != strings.Join(win, "\n") {
					t.Errorf("%s listing differs:\nlab:\n%s\nWindows:\n%s", typ, strings.Join(lab, "\n"), strings.Join(win, "\n"))
				}
			}
		})
	}
}

// TestServerConfigListings pins what both readers must give for the server shapes, so
// that agreeing on something wrong fails too.
func TestServerConfigListings(t *testing.T) {
	data, err := os.ReadFile("testdata/server-applicationhost.config")
	if err != nil {
		t.Fatal(err)
	}
	winSites, err := appcmd.ParseXML(appcmdListing(t, data))
	if err != nil {
		t.Fatal(err)
	}
	want := map[resource.Type]string{
		resource.W3: `"Default Web Site" 1 http/*:80:
"Contoso" 2 http/127.0.0.1:80:www.contoso.com
"Wildcard" 3 https/*:443:*.contoso.com http/*:8080:*
"Web and FTP" 6 http/127.0.0.2:80:
"WCF only" 7
"No Bindings" 8`,
		resource.FTP: `"ftp.contoso.com" 4 ftp/127.0.0.1:21:ftp.contoso.com
"ftp.fabrikam.com" 5 ftp/127.0.0.1:21:ftp.fabrikam.com
"Web and FTP" 6 ftp/127.0.0.2:21:`,
	}
	for typ, w := range want {
		var win []string
		for _, s := range winSites {
			if s.Listed(typ) {
				v, err := s.For(typ)
				if err != nil {
					t.Fatal(err)
				}
				win = append(win, listed(v.Name, v.ID, v.Bindings))
			}
		}
		if got := strings.Join(win, "\n"); got != w {
			t.Errorf("%s listing:\n%s\nwant:\n%s", typ, got, w)
		}
	}
}

func listed(name string, id int64, bs []resource.Binding) string {
	out := fmt.Sprintf("%q %d", name, id)
	for _, b := range bs {
		out += " " + b.String()
	}
	return out
}

// appcmdListing writes what `appcmd list site /config /xml` prints for the sites of an
// applicationHost.config: one <SITE> per site with SITE.NAME, SITE.ID, the comma-joined
// bindings and a state, around the site's own <site> element.
func appcmdListing(t *testing.T, data []byte) []byte {
	t.Helper()
	var cfg struct {
		Sites []struct {
			Name     string `xml:"name,attr"`
			ID       string `xml:"id,attr"`
			Inner    string `xml:",innerxml"`
			Bindings []struct {
				Protocol string `xml:"protocol,attr"`
				Info     string `xml:"bindingInformation,attr"`
			} `xml:"bindings>binding"`
		} `xml:"system.applicationHost>sites>site"`
	}
	if err := xml.Unmarshal([]byte(strings.TrimPrefix(string(data), "\xef\xbb\xbf")), &cfg); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<appcmd>\r\n")
	for _, s := range cfg.Sites {
		var bs []string
		for _, x := range s.Bindings {
			bs = append(bs, x.Protocol+"/"+x.Info)
		}
		fmt.Fprintf(&b, "    <SITE SITE.NAME=\"%s\" SITE.ID=\"%s\" bindings=\"%s\" state=\"Started\">\r\n        <site name=\"%s\" id=\"%s\">%s</site>\r\n    </SITE>\r\n",
			html.EscapeString(s.Name), html.EscapeString(s.ID), html.EscapeString(strings.Join(bs, ",")),
			html.EscapeString(s.Name), html.EscapeString(s.ID), s.Inner)
	}
	b.WriteString("</appcmd>\r\n")
	return []byte(b.String())
}
