package event

import (
	"strings"
	"testing"
	"unicode"
)

// TestExtTextsReadWell renders every [ext] message for each service type, with a count
// and a budget of 1, and looks for the slips a $NAME can cause: a word written again by
// the value that follows it ("the SMTP SMTP site", $SITETYPE being "SMTP site") and a
// plural after a count of one ("1 resources"). The original messages keep their texts
// (9756 reads "the ftp FTP site" in the original too).
func TestExtTextsReadWell(t *testing.T) {
	for _, typ := range []string{"W3", "FTP", "SMTP"} {
		f := Fields{
			Tag: "iis-www1", Site: "Default Web Site", System: "NODE1", ServiceName: typ + "SVC", ServiceCode: 1,
			ServiceDesc: "STOPPED", SiteState: "Stopped", Binding: "127.0.0.2:25:", ActiveSite: "Other",
			FTPResponse: "530 no", SiteType: typ + " site", CertExpires: "2026-12-01T00:00:00Z", CertDays: 1,
			SMTPResponse: "554 no", Count: 1, Limit: "1", Window: "1h", Percent: "25.0",
			File: "resources.toml", Reason: "quickcheck", Pool: "DefaultAppPool", PoolState: "Stopped",
			Opening: `Checking LifeKeeper resource "iis-www1".`,
		}
		for _, m := range Catalog() {
			if m.ID < 9800 {
				continue
			}
			text, err := render(m.ID, f)
			if err != nil {
				t.Fatal(err)
			}
			words := strings.FieldsFunc(text, func(r rune) bool { return unicode.IsSpace(r) || r == '"' || r == '(' || r == ')' })
			for i := 1; i < len(words); i++ {
				prev, w := strings.ToLower(words[i-1]), strings.ToLower(words[i])
				if prev == w {
					t.Errorf("%d (%s): %q twice in a row: %s", m.ID, typ, w, text)
				}
				if prev == "1" && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
					t.Errorf("%d (%s): %q after 1: %s", m.ID, typ, w, text)
				}
			}
		}
	}
}
