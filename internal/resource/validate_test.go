package resource

import (
	"errors"
	"net/netip"
	"testing"
)

func TestValidate(t *testing.T) {
	w3 := func(set func(r *Resource)) Resource {
		r := Resource{Tag: "iis-www1", Site: "Default Web Site", Type: W3}
		if set != nil {
			set(&r)
		}
		return r
	}
	tests := []struct {
		name string
		res  Resource
		key  string // the first broken rule's key; "" for a valid definition
		msg  string
	}{
		{"valid W3", w3(nil), "", ""},
		{"valid FTP with every FTP option", Resource{Tag: "f", Site: "s", Type: FTP, FTP: Credentials{User: "u", PasswordFile: "/p"},
			Options: Options{FTPTLS: TLSAuto, StrictSiteState: true}}, "", ""},
		{"valid SMTP with deep_smtp", Resource{Tag: "m", Site: "s", Type: SMTP, Options: Options{DeepSMTP: true}}, "", ""},
		{"empty tag", w3(func(r *Resource) { r.Tag = " " }), "tag", "missing or empty tag"},
		{"empty site", w3(func(r *Resource) { r.Site = "" }), "site", "missing or empty site name"},
		{"site with a line break", w3(func(r *Resource) { r.Site = "a\nb" }), "site", "site name contains the control character U+000A at byte 1"},
		{"no type", w3(func(r *Resource) { r.Type = 0 }), "type", "missing or unknown service type"},
		{"FTP user on W3", w3(func(r *Resource) { r.FTP.User = "probe" }), "ftp_user", "FTP credentials on a W3 resource"},
		{"FTP password file on W3", w3(func(r *Resource) { r.FTP.PasswordFile = "/p" }), "ftp_password_file", "FTP credentials on a W3 resource"},
		{"bad url", w3(func(r *Resource) { r.Options.URL = "ftp://x/" }), "url", `url "ftp://x/": want a path starting with / or an http(s) URL`},
		{"bad status range", w3(func(r *Resource) { r.Options.ExpectStatus = StatusRanges{{400, 200}} }), "expect_status", `"400-200": want statuses or ranges from 100 to 599, e.g. 200-399,401`},
		{"zoned probe address", w3(func(r *Resource) { r.Options.ProbeUnassignedVia = netip.MustParseAddr("fe80::1%eth0") }), "probe_unassigned_via", `"fe80::1%eth0": an address with a zone cannot be probed`},
		{"negative cert_warn_days", w3(func(r *Resource) { r.Options.CertWarnDays = -1 }), "cert_warn_days", "must be 0 (off) or a number of days"},
		{"deep_smtp on W3", w3(func(r *Resource) { r.Options.DeepSMTP = true }), "deep_smtp", "deep_smtp on a W3 resource"},
		{"ftp_tls on W3", w3(func(r *Resource) { r.Options.FTPTLS = TLSOn }), "ftp_tls", "ftp_tls on a W3 resource"},
		{"valid probe_host_label", w3(func(r *Resource) { r.Options.ProbeHostLabel = "health.eu" }), "", ""},
		{"probe_host_label with a wildcard", w3(func(r *Resource) { r.Options.ProbeHostLabel = "*" }), "probe_host_label", `"*": want one or more host name labels (letters, digits, hyphens) joined by dots, e.g. health`},
		{"probe_host_label with an empty label", w3(func(r *Resource) { r.Options.ProbeHostLabel = "a..b" }), "probe_host_label", `"a..b": want one or more host name labels (letters, digits, hyphens) joined by dots, e.g. health`},
		{"probe_host_label on FTP", Resource{Tag: "f", Site: "s", Type: FTP, Options: Options{ProbeHostLabel: "x"}}, "probe_host_label", "probe_host_label on a FTP resource (only http bindings have wildcard host headers)"},
		{"app_pools on W3", w3(func(r *Resource) { r.Options.AppPools = []string{"Shop", "Api"} }), "", ""},
		{"app_pools = [] on W3", w3(func(r *Resource) { r.Options.AppPools = []string{} }), "", ""},
		{"app_pools on FTP", Resource{Tag: "f", Site: "s", Type: FTP, Options: Options{AppPools: []string{"Shop"}}}, "app_pools", "app_pools on a FTP resource (only W3 sites have application pools)"},
		{"app_pools = [] on SMTP", Resource{Tag: "m", Site: "s", Type: SMTP, Options: Options{AppPools: []string{}}}, "app_pools", "app_pools on a SMTP resource (only W3 sites have application pools)"},
		{"empty pool name", w3(func(r *Resource) { r.Options.AppPools = []string{"Shop", " "} }), "app_pools", "an empty pool name (app_pools = [] turns the pool rules off)"},
		{"pool name with a line break", w3(func(r *Resource) { r.Options.AppPools = []string{"a\nb"} }), "app_pools", "pool name contains the control character U+000A at byte 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.res.Validate()
			if tc.key == "" {
				if err != nil {
					t.Errorf("Validate = %v, want nil", err)
				}
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Key != tc.key || fe.Msg != tc.msg {
				t.Errorf("Validate = %v, want the first problem %s: %s", err, tc.key, tc.msg)
			}
		})
	}
}

func TestValidateReportsEveryRule(t *testing.T) {
	r := Resource{Type: W3, Options: Options{FTPTLS: TLSOn, DeepSMTP: true}}
	want := "tag: missing or empty tag\nsite: missing or empty site name\ndeep_smtp: deep_smtp on a W3 resource\nftp_tls: ftp_tls on a W3 resource"
	if err := r.Validate(); err == nil || err.Error() != want {
		t.Errorf("Validate =\n%v\nwant\n%s", err, want)
	}
}

func TestParseAddr(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1": "127.0.0.1", " ::1 ": "::1", "[::1]": "::1", "::ffff:127.0.0.2": "127.0.0.2",
		"localhost": "", "fe80::1%eth0": "", "": "", "127.0.0.1:80": "",
	} {
		ip, err := ParseAddr(in)
		switch {
		case want == "" && err == nil:
			t.Errorf("ParseAddr(%q) = %v, want an error", in, ip)
		case want != "" && (err != nil || ip.String() != want):
			t.Errorf("ParseAddr(%q) = %v, %v; want %s", in, ip, err, want)
		}
	}
}

func TestParseRequestURL(t *testing.T) {
	for in, want := range map[string]string{
		"": "/", "/health?x=1": "/health?x=1", "https://www.example.com/a": "/a",
		"health": "", "ftp://x/": "", "http:///nohost": "", "//host/path": "",
	} {
		u, err := ParseRequestURL(in)
		switch {
		case want == "" && err == nil:
			t.Errorf("ParseRequestURL(%q) = %v, want an error", in, u)
		case want != "" && (err != nil || u.RequestURI() != want):
			t.Errorf("ParseRequestURL(%q) = %v, %v; want %s", in, u, err, want)
		}
		if (CheckURL(in) == nil) != (want != "") {
			t.Errorf("CheckURL(%q) disagrees with ParseRequestURL", in)
		}
	}
}

func TestParseTLSMode(t *testing.T) {
	for in, want := range map[string]TLSMode{"": TLSOff, "false": TLSOff, "OFF": TLSOff, "true": TLSOn, "on": TLSOn, "Auto": TLSAuto} {
		if got, err := ParseTLSMode(in); err != nil || got != want {
			t.Errorf("ParseTLSMode(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseTLSMode("maybe"); err == nil {
		t.Error("ParseTLSMode(maybe): want an error")
	}
}

// TestValidateControlCharactersEveryType: SPEC S5's refusal of control characters in a
// tag or site name holds for every service type (issue: FTP resources escaped it).
func TestValidateControlCharactersEveryType(t *testing.T) {
	chars := map[string]string{"LF": "\n", "CR": "\r", "ESC": "\x1b", "BEL": "\a", "U+2028": "\u2028"}
	for _, typ := range []Type{W3, FTP, SMTP} {
		for name, c := range chars {
			for _, key := range []string{"tag", "site"} {
				t.Run(typ.String()+"/"+key+"/"+name, func(t *testing.T) {
					r := Resource{Tag: "t", Site: "s", Type: typ}
					if key == "tag" {
						r.Tag = "a" + c + "b"
					} else {
						r.Site = "a" + c + "b"
					}
					var fe *FieldError
					if err := r.Validate(); !errors.As(err, &fe) || fe.Key != key {
						t.Errorf("%q accepted in %s of a %s resource (err %v)", c, key, typ, err)
					}
				})
			}
		}
	}
}
