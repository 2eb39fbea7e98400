package config

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/resource"
)

func TestLoadGood(t *testing.T) {
	f, err := Load(filepath.Join("testdata", "good.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Defaults.RetryInterval != 500*time.Millisecond || f.Defaults.ProbeTimeout != 5*time.Second {
		t.Errorf("defaults = %+v", f.Defaults)
	}
	www, ok := f.Lookup("IIS-WWW1")
	if !ok || www.Site != "Default Web Site" || www.Type != resource.W3 || www.Options.URL != "/health" ||
		www.Options.ExpectStatus.String() != "200-399" {
		t.Errorf("iis-www1 = %+v", www)
	}
	ftp, ok := f.Lookup("iis-ftp1")
	if !ok || ftp.Type != resource.FTP || ftp.FTP.User != "probe" || ftp.FTP.PasswordFile != filepath.Join("testdata", "ftp1.secret") ||
		ftp.Options.ProbeUnassignedVia.String() != "127.0.0.1" || !ftp.Options.RecoverStartsSite {
		t.Errorf("iis-ftp1 = %+v", ftp)
	}
	if ftp.Options.FTPTLS != resource.TLSAuto || !ftp.Options.TLSVerify {
		t.Errorf("iis-ftp1 TLS options = %+v", ftp.Options)
	}
	if smtp, _ := f.Lookup("iis-smtp1"); !smtp.Options.DeepSMTP {
		t.Errorf("iis-smtp1 = %+v", smtp)
	}
	if sec, _ := f.Lookup("iis-secure"); sec.Options.CertWarnDays != 21 || sec.Options.ProbeHostLabel != "health" {
		t.Errorf("iis-secure = %+v", sec)
	}
	// app_pools: unset takes the site's own pools (nil), [] turns the pool rules off.
	if www.Options.AppPools != nil {
		t.Errorf("iis-www1 app_pools = %#v, want nil (unset)", www.Options.AppPools)
	}
	if shop, _ := f.Lookup("iis-shop"); strings.Join(shop.Options.AppPools, "|") != "ShopPool|Api Pool" {
		t.Errorf("iis-shop app_pools = %q", shop.Options.AppPools)
	}
	if off, _ := f.Lookup("iis-nopools"); off.Options.AppPools == nil || len(off.Options.AppPools) != 0 {
		t.Errorf("iis-nopools app_pools = %#v, want an empty, non-nil list", off.Options.AppPools)
	}
	if _, ok := f.Lookup("nope"); ok {
		t.Error("found a tag that is not there")
	}
}

func TestLoadInvalid(t *testing.T) {
	tests := []struct{ file, want string }{
		{"invalid-unknown-key.toml", "testdata/invalid-unknown-key.toml:5: key resource.tagg: unknown key"},
		{"invalid-unknown-default.toml", "testdata/invalid-unknown-default.toml:2: key defaults.retry: unknown key"},
		{"invalid-duplicate-tag.toml", `testdata/invalid-duplicate-tag.toml:7: key resource.tag: duplicate tag "A" (first defined in resource 1)`},
		{"invalid-unknown-type.toml", `testdata/invalid-unknown-type.toml:4: key resource.type: unknown service type "GOPHER" (want W3, WEB, W3SVC, FTP, FTPSVC, MSFTPSVC, SMTP or SMTPSVC)`},
		{"invalid-empty-site.toml", "testdata/invalid-empty-site.toml:3: key resource.site: missing or empty site name"},
		{"invalid-missing-site.toml", "testdata/invalid-missing-site.toml:1: key resource.site: missing or empty site name"},
		{"invalid-bad-type.toml", `testdata/invalid-bad-type.toml:2: key resource.tag: incompatible types: TOML value has type int64; destination has type string`},
		{"invalid-bad-duration.toml", `testdata/invalid-bad-duration.toml:2: key defaults.retry_interval: "soon" is not a duration such as 1s or 250ms`},
		{"invalid-syntax.toml", `testdata/invalid-syntax.toml:2: expected end of table array name delimiter ']', but got '\n' instead`},
		{"invalid-ftp-on-w3.toml", "testdata/invalid-ftp-on-w3.toml:5: key resource.ftp_user: FTP credentials on a W3 resource"},
		{"invalid-ftp-tls-on-w3.toml", "testdata/invalid-ftp-tls-on-w3.toml:5: key resource.ftp_tls: ftp_tls on a W3 resource"},
		{"invalid-ftp-tls-value.toml", `testdata/invalid-ftp-tls-value.toml:5: key resource.ftp_tls: "maybe": want true, false or auto`},
		{"invalid-app-pools-on-ftp.toml", "testdata/invalid-app-pools-on-ftp.toml:5: key resource.app_pools: app_pools on a FTP resource (only W3 sites have application pools)"},
		{"invalid-expect-status.toml", `testdata/invalid-expect-status.toml:5: key resource.expect_status: expect_status "2xx": want statuses or ranges from 100 to 599, e.g. 200-399,401`},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			_, err := Load(filepath.Join("testdata", tc.file))
			var de *DefinitionError
			if !errors.As(err, &de) {
				t.Fatalf("error = %v, want a *DefinitionError", err)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got %s\nwant %s", err, tc.want)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join("testdata", "absent.toml"))
	if err == nil || err.Error() != "testdata/absent.toml: cannot read the resource file: no such file or directory" {
		t.Errorf("error = %v", err)
	}
}

func TestParseByteOrderMark(t *testing.T) {
	f, err := Parse("bom.toml", []byte("\ufeff[[resource]]\ntag = \"a\"\nsite = \"s\"\ntype = \"smtp\"\n"))
	if err != nil || len(f.Resources) != 1 || f.Resources[0].Type != resource.SMTP {
		t.Fatalf("Parse = %+v, %v", f, err)
	}
}
