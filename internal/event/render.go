package event

import (
	"fmt"
	"strings"
)

// Fields are the values substituted into a message's $NAMES (SPEC §3). A field a
// message does not name is ignored.
type Fields struct {
	Tag          string // $TAGNAME
	Site         string // $SITENAME
	System       string // $SYS
	ServiceName  string // $SVCTYPE, the Windows service name
	ServiceCode  uint32 // $SVCSTATECODE
	ServiceDesc  string // $SVCSTATEDESC, e.g. START_PENDING
	SiteState    string // $SITESTATE
	Binding      string // $abind, IP:Port:HostHeader
	ActiveSite   string // $ACTIVESITE
	FTPResponse  string // $FTPRESPONSE, the server's replies only (SPEC S3)
	SiteType     string // $SITETYPE, e.g. "W3 site"
	CertExpires  string // $CERTEXPIRES [ext], the certificate's expiry (RFC 3339)
	CertDays     int    // $CERTDAYS [ext], the warning threshold in days
	SMTPResponse string // $SMTPRESPONSE [ext], the SMTP server's replies
	Count        int    // $COUNT [ext watch], how many (checks, resources)
	Limit        string // $LIMIT [ext watch], the threshold or budget in force
	Window       string // $WINDOW [ext watch], recover_window
	Percent      string // $PERCENT [ext watch], a percent state change
	File         string // $FILE [ext watch], the resource file
	Reason       string // $REASON [ext watch], what went wrong, in words
	Pool         string // $POOL [ext pools], an application pool
	PoolState    string // $POOLSTATE [ext pools], its state as IIS prints it
	// Opening is $OPENING [ext pools]: the opening sentence of the action's other events
	// with $TAGNAME filled in (Checking LifeKeeper resource "t".), for 9821, which each of
	// quickcheck, restore and recover writes prefixed as its own events are (SPEC P).
	Opening string
}

// lookup returns the value of one $NAME.
func (f Fields) lookup(name string) (string, bool) {
	switch name {
	case "TAGNAME":
		return f.Tag, true
	case "SITENAME":
		return f.Site, true
	case "SYS":
		return f.System, true
	case "SVCTYPE":
		return f.ServiceName, true
	case "SVCSTATECODE":
		return fmt.Sprint(f.ServiceCode), true
	case "SVCSTATEDESC":
		return f.ServiceDesc, true
	case "SITESTATE":
		return f.SiteState, true
	case "abind":
		return f.Binding, true
	case "ACTIVESITE":
		return f.ActiveSite, true
	case "FTPRESPONSE":
		return f.FTPResponse, true
	case "SITETYPE":
		return f.SiteType, true
	case "CERTEXPIRES":
		return f.CertExpires, true
	case "CERTDAYS":
		return fmt.Sprint(f.CertDays), true
	case "SMTPRESPONSE":
		return f.SMTPResponse, true
	case "COUNT":
		return fmt.Sprint(f.Count), true
	case "LIMIT":
		return f.Limit, true
	case "WINDOW":
		return f.Window, true
	case "PERCENT":
		return f.Percent, true
	case "FILE":
		return f.File, true
	case "REASON":
		return f.Reason, true
	case "POOL":
		return f.Pool, true
	case "POOLSTATE":
		return f.PoolState, true
	case "OPENING":
		return f.Opening, true
	}
	return "", false
}

// expand replaces each $NAME of tmpl in a single pass, so a value that itself contains
// "$SYS" (a site may be named so) is copied as it is, never expanded again.
func expand(tmpl string, value func(string) (string, bool)) (string, error) {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '$')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String(), nil
		}
		b.WriteString(tmpl[:i])
		j := i + 1
		for j < len(tmpl) && isNameByte(tmpl[j]) {
			j++
		}
		name := tmpl[i+1 : j]
		v, ok := value(name)
		if !ok {
			return "", fmt.Errorf("unknown substitution $%s", name)
		}
		b.WriteString(v)
		tmpl = tmpl[j:]
	}
}

func isNameByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

// checkTemplate reports a $NAME that Fields does not know.
func checkTemplate(tmpl string) error {
	_, err := expand(tmpl, Fields{}.lookup)
	return err
}
