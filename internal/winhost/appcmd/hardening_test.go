package appcmd

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// errorLikeNames are site names that quote appcmd's own error report.
var errorLikeNames = []string{
	"ERROR (x)",
	"ERROR ( message:Cannot find SITE object with identifier \"a\". )",
	"ERROR ( hresult:80070005, message:Access is denied. )",
	" ERROR (",
}

// xmlListing renders `appcmd list site /config /xml` for sites named names, as appcmd
// escapes attribute values.
func xmlListingOf(names ...string) string {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<appcmd>\r\n")
	for i, n := range names {
		var esc strings.Builder
		_ = xml.EscapeText(&esc, []byte(n))
		fmt.Fprintf(&b, "<SITE SITE.NAME=\"%s\" SITE.ID=\"%d\" bindings=\"http/*:80:\" state=\"Started\">\r\n"+
			"<site name=\"%s\" id=\"%d\"><bindings><binding protocol=\"http\" bindingInformation=\"*:80:\" /></bindings></site>\r\n</SITE>\r\n",
			esc.String(), i+1, esc.String(), i+1)
	}
	b.WriteString("</appcmd>\r\n")
	return b.String()
}

// TestHardening4_SiteNamedERROR: a site named like appcmd's error report is data in
// every listing and in start/stop's success line; a real report is still an error.
func TestHardening4_SiteNamedERROR(t *testing.T) {
	for _, name := range errorLikeNames {
		names := []string{"Default Web Site", name}
		sites, err := ParseXML([]byte(xmlListingOf(names...)))
		if err != nil || len(sites) != 2 || sites[1].Name != name {
			t.Errorf("XML listing with %q: %v, %+v", name, err, sites)
		}
		for _, verb := range []string{"started", "stopped"} {
			c := &Client{Path: `C:\appcmd.exe`, Runner: fakeRunner{out: Output{Stdout: []byte(fmt.Sprintf("\"%s\" successfully %s.\r\n", name, verb))}}}
			change := c.StartSite
			if verb == "stopped" {
				change = c.StopSite
			}
			if err := change(context.Background(), name); err != nil {
				t.Errorf("%s %q: %v", verb, name, err)
			}
		}
		c := &Client{Path: `C:\appcmd.exe`, Runner: fakeRunner{out: Output{Stdout: []byte(xmlListingOf(names...))}}}
		if sites, err := c.ListSites(context.Background()); err != nil || len(sites) != 2 {
			t.Errorf("ListSites with %q: %v", name, err)
		}
	}
	// The report itself, with leading blanks or a UTF-8 byte-order mark, stays an error.
	for _, out := range []string{
		"ERROR ( message:Cannot find SITE object with identifier \"ERROR (x)\". )\r\n",
		"\r\n  ERROR ( message:Cannot find SITE object with identifier \"x\". )",
		"\ufeffERROR ( message:Cannot find SITE object with identifier \"x\". )",
	} {
		err := CheckOutput(StartSiteArgs("x"), Output{Stdout: []byte(out)})
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrNotFound) {
			t.Errorf("CheckOutput(%q) = %v, want ErrNotFound", out, err)
		}
		if _, err := ParseXML([]byte(out)); !errors.Is(err, ErrNotFound) {
			t.Errorf("ParseXML(%q) = %v, want ErrNotFound", out, err)
		}
	}
}

// FuzzListingHostileSiteNames: any site name IIS could hold (valid XML text, one line)
// comes back unchanged from the XML listing beside an ordinary site, and its
// start success line is not an error.
func FuzzListingHostileSiteNames(f *testing.F) {
	for _, n := range errorLikeNames {
		f.Add(n)
	}
	f.Add(`x"; Remove-Item C:\ -Recurse; "`)
	f.Add(`a" (id:5,bindings:x,state:Stopped)`)
	f.Fuzz(func(t *testing.T, name string) {
		if strings.TrimSpace(name) == "" || !utf8.ValidString(name) || strings.ContainsAny(name, "\r\n") ||
			strings.ContainsFunc(name, func(r rune) bool { return !isXMLChar(r) }) || strings.HasPrefix(name, "\ufeff") {
			return
		}
		names := []string{"Default Web Site", name}
		sites, err := ParseXML([]byte(xmlListingOf(names...)))
		if err != nil || len(sites) != 2 || sites[1].Name != name {
			t.Fatalf("XML listing with %q: %v, %+v", name, err, sites)
		}
		if err := CheckOutput(StartSiteArgs(name), Output{Stdout: []byte("\"" + name + "\" successfully started.\r\n")}); err != nil {
			t.Fatalf("start %q: %v", name, err)
		}
	})
}

// isXMLChar is XML 1.0's Char production: what an attribute value can hold at all.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
