package iisconfig

import (
	"fmt"
	"testing"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// TestBadBindingIsError: a binding of the type's own protocols that does not parse is
// garbage from IIS (SPEC S5) and must be an error, not a silently smaller list.
func TestBadBindingIsError(t *testing.T) {
	s := Site{Name: "x", ID: 1, Bindings: []RawBinding{{"http", "*:eighty:"}, {"net.tcp", "808:*"}}}
	if _, err := s.For(resource.W3); err == nil {
		t.Error("want an error for http/*:eighty:")
	}
	if ps, err := s.For(resource.FTP); err != nil || len(ps.Bindings) != 0 {
		t.Errorf("FTP view: %v %v, want no bindings and no error", ps, err)
	}
	if _, err := s.ServedBindings(); err == nil {
		t.Error("ServedBindings: want an error for http/*:eighty:")
	}
}

func TestViews(t *testing.T) {
	mixed := Site{Name: "Mixed", ID: 3, State: platform.SiteStarted, Bindings: []RawBinding{
		{"http", "127.0.0.2:80:"}, {"ftp", "*:21:"}, {"net.pipe", "*"}, {"https", "[::1]:443:secure"},
	}}
	ftpOnly := Site{Name: "Files", ID: 4, Bindings: []RawBinding{{"ftp", "127.0.0.3:21:"}}}
	wcf := Site{Name: "WCF", ID: 5, Bindings: []RawBinding{{"net.tcp", "808:*"}}}
	tests := []struct {
		site     Site
		isW3     bool
		w3, ftp  string
		allBinds string
	}{
		{mixed, true, "[http/127.0.0.2:80: https/[::1]:443:secure]", "[ftp/*:21:]", "[http/127.0.0.2:80: ftp/*:21: https/[::1]:443:secure]"},
		{ftpOnly, false, "[]", "[ftp/127.0.0.3:21:]", "[ftp/127.0.0.3:21:]"},
		{wcf, true, "[]", "[]", "[]"},
	}
	for _, tc := range tests {
		t.Run(tc.site.Name, func(t *testing.T) {
			if got := tc.site.IsW3(); got != tc.isW3 {
				t.Errorf("IsW3 = %v, want %v", got, tc.isW3)
			}
			w3, err := tc.site.For(resource.W3)
			if err != nil || fmt.Sprint(w3.Bindings) != tc.w3 || w3.Name != tc.site.Name || w3.ID != tc.site.ID || w3.State != tc.site.State {
				t.Errorf("W3 view = %+v, %v; want bindings %s", w3, err, tc.w3)
			}
			ftp, err := tc.site.For(resource.FTP)
			if err != nil || fmt.Sprint(ftp.Bindings) != tc.ftp {
				t.Errorf("FTP view = %+v, %v; want bindings %s", ftp, err, tc.ftp)
			}
			all, err := tc.site.ServedBindings()
			if err != nil || fmt.Sprint(all) != tc.allBinds && !(len(all) == 0 && tc.allBinds == "[]") {
				t.Errorf("ServedBindings = %v, %v; want %s", all, err, tc.allBinds)
			}
		})
	}
}

// TestTypesOf is the one rule by which the Windows host and the lab list a site: each
// served protocol's type, and W3 for a site with no served binding. Shapes: IIS 10's
// default "Default Web Site" with WCF activation bindings, an FTP site, a site created
// without bindings (`appcmd add site /name:x /id:n`), one with only net.tcp.
func TestTypesOf(t *testing.T) {
	for _, tc := range []struct {
		protocols []string
		want      string
	}{
		{[]string{"http", "net.tcp", "net.pipe", "net.msmq", "msmq.formatname"}, "[W3]"},
		{[]string{"ftp"}, "[FTP]"},
		{[]string{"FTP", "https"}, "[W3 FTP]"},
		{nil, "[W3]"},
		{[]string{"net.tcp"}, "[W3]"},
		{[]string{"smtp"}, "[SMTP]"},
	} {
		if got := fmt.Sprint(TypesOf(tc.protocols)); got != tc.want {
			t.Errorf("TypesOf(%q) = %s, want %s", tc.protocols, got, tc.want)
		}
	}
}
