package eventtest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/iiskit/iiskit/internal/event"
)

// specTexts are SPEC §3's messages written out by hand, as "Severity ID: text". Tests
// compare what iiskit emits with them rather than with package event's own catalogue
// (which package event's tests compare with the seed document itself).
var specTexts = map[event.ID]string{
	9705: `Error 9705: Checking LifeKeeper resource "$TAGNAME". IIS Service "$SVCTYPE" on system $SYS is not in the started state as required for site "$SITENAME". StateCode = $SVCSTATECODE.`,
	9707: `Error 9707: Checking LifeKeeper resource "$TAGNAME". The IIS metabase index for protected site "$SITENAME" is null (invalid) on system $SYS. The site may not exist.`,
	9704: `Error 9704: Checking LifeKeeper resource "$TAGNAME". IIS Site "$SITENAME" on system $SYS is not in the started state. Current state is "$SITESTATE".`,
	9765: `Error 9765: Checking LifeKeeper resource "$TAGNAME". The IIS metabase index for protected site "$SITENAME" is null (invalid) on system $SYS. The site may not exist.`,
	9773: `Warning 9773: Checking LifeKeeper protected resource "$TAGNAME". The IIS configuration for site "$SITENAME" does not include an IP address! Deep check validation of the site can not be completed.`,
	9760: `Error 9760: The FTP site "$SITENAME" failed to respond successfully to the user supplied query. A successful FTP login response must include a 230 response line that starts with "230 ". The actual FTP response was as follows: $FTPRESPONSE`,
	9754: `Error 9754: The number of arguments passed to pollsite is not correct.`,
	9755: `Error 9755: Cannot obtain a valid handle for polling the $SITETYPE.`,
	9756: `Error 9756: Cannot get a valid connection to the ftp $SITETYPE or the ftp site failed to respond.`,
	9757: `Error 9757: Cannot get a valid connection to the http $SITETYPE.`,
	9758: `Error 9758: Cannot obtain a valid http request handle from the polled $SITETYPE.`,
	9759: `Error 9759: The $SITETYPE failed to respond to the http request.`,
	9414: `Error 9414: Restoring LifeKeeper resource "$TAGNAME". Protected IIS site "$SITENAME" was not found in the current IIS Metadata. The site may no longer exist.`,
	9409: `Error 9409: IIS Service "$SVCTYPE" servicing LifeKeeper resource "$TAGNAME" could not be started. Current state is now "$SVCSTATEDESC" on system $SYS.`,
	9420: `Error 9420: While restoring resource "$TAGNAME" an invalid (null) instance number was retrieved from the IIS metabase for site "$SITENAME". The site can not be started.`,
	9422: `Error 9422: IIS Site $SITENAME can not be started because its IP:Port:Header binding ($abind) is currently in use on site "$ACTIVESITE".`,
	9706: `Error 9706: Unable to start IIS Site "$SITENAME" on system $SYS`,
	9407: `Information 9407: Restore resource $TAGNAME End: Successful`,
	9408: `Error 9408: Restore resource $TAGNAME End: Failed.`,
	9557: `Error 9557: Removing resource "$TAGNAME". IIS Service "$SVCTYPE" could not be started before stopping site "$SITENAME". Current service state on system $SYS is now "$SVCSTATEDESC".`,
	9563: `Warning 9563: Removing LifeKeeper resource "$TAGNAME". The IIS metabase index for protected site "$SITENAME" is null (invalid) on system $SYS. The site may not exist.`,
	9556: `Error 9556: Unable to stop IIS site associated with LifeKeeper tag "$TAGNAME" on system $SYS`,
	9558: `Information 9558: Remove IIS resource $TAGNAME End: Successful`,
	9607: `Error 9607: IIS Service "$SVCTYPE" servicing LifeKeeper resource "$TAGNAME" could not be started. Current state is now "$SVCSTATEDESC" on system $SYS.`,
	9609: `Error 9609: While recovering resource "$TAGNAME" an invalid (null) instance number was retrieved from the IIS metabase for site "$SITENAME". The site can not be started.`,
	9606: `Error 9606: Recovering resource "$TAGNAME". Unable to start IIS site "$SITENAME" on system "$SYS".`,
	// [ext]
	9801: `Warning 9801: Checking LifeKeeper resource "$TAGNAME". The certificate of IIS site "$SITENAME" on binding ($abind) on system $SYS expires at $CERTEXPIRES, within $CERTDAYS days. Renew it before the site stops being trusted.`,
	9802: `Error 9802: Checking LifeKeeper resource "$TAGNAME". Cannot get a valid connection to the $SITETYPE "$SITENAME" on binding ($abind) on system $SYS.`,
	9804: `Warning 9804: Resource "$TAGNAME" is busy: another iiskit action on it holds its lock on system $SYS. This action waits for it to end, up to its own deadline.`,
	9805: `Error 9805: Resource "$TAGNAME" cannot be locked on system $SYS, so no action runs on it: $REASON. The lock folder must be owned by the user running iiskit (or an administrator) and writable by no one else; repair it or set IISKIT_LOCK_DIR.`,
	9820: `Error 9820: Checking LifeKeeper resource "$TAGNAME". Application pool "$POOL" of IIS site "$SITENAME" on system $SYS is not in the started state. Current state is "$POOLSTATE".`,
	9821: `Error 9821: $OPENING Application pool "$POOL" of IIS site "$SITENAME" does not exist on system $SYS.`,
	9822: `Error 9822: Restoring LifeKeeper resource "$TAGNAME". Unable to start application pool "$POOL" of IIS site "$SITENAME" on system $SYS. Current state is "$POOLSTATE".`,
	9823: `Error 9823: Recovering resource "$TAGNAME". Unable to start application pool "$POOL" of IIS site "$SITENAME" on system $SYS. Current state is "$POOLSTATE".`,
	9803: `Error 9803: Checking LifeKeeper resource "$TAGNAME". The $SITETYPE "$SITENAME" on binding ($abind) on system $SYS did not answer the greeting, EHLO and QUIT as an SMTP server must. The actual SMTP response was as follows: $SMTPRESPONSE`,
}

// Fixture is what every event of one test shares: $TAGNAME, $SITENAME, $SVCTYPE,
// $SITETYPE and $SYS.
type Fixture struct {
	Tag, Site, Service, SiteType, System string
}

// Line renders the line event id must show, "Severity ID: text", from SPEC §3's text: the
// fixture fills its five variables, vars fill the event's own ($SVCSTATECODE, $SITESTATE,
// $abind, ...) in the order they appear in the text. A wrong number of vars gives a line
// that matches nothing, so the test fails.
func (f Fixture) Line(id event.ID, vars ...any) string {
	tmpl, ok := specTexts[id]
	if !ok {
		return fmt.Sprintf("no SPEC text for event %d", id)
	}
	shared := map[string]string{"TAGNAME": f.Tag, "SITENAME": f.Site, "SVCTYPE": f.Service, "SITETYPE": f.SiteType, "SYS": f.System}
	// One pass over the template, so that a value holding "$" is never read as a variable.
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '$')
		if i < 0 {
			b.WriteString(tmpl)
			break
		}
		j := i + 1
		for j < len(tmpl) && (tmpl[j] >= 'A' && tmpl[j] <= 'Z' || tmpl[j] >= 'a' && tmpl[j] <= 'z') {
			j++
		}
		b.WriteString(tmpl[:i])
		if v, ok := shared[tmpl[i+1:j]]; ok {
			b.WriteString(v)
		} else if len(vars) > 0 {
			fmt.Fprint(&b, vars[0])
			vars = vars[1:]
		} else {
			return fmt.Sprintf("event %d: no value for %s", id, tmpl[i:j])
		}
		tmpl = tmpl[j:]
	}
	if len(vars) > 0 {
		return fmt.Sprintf("event %d: %d values more than the text has variables", id, len(vars))
	}
	return b.String()
}

// Lines renders events as Line does, one line each, for comparison with Line's.
func Lines(evs []event.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = fmt.Sprintf("%s %d: %s", e.Severity, e.ID, e.Message)
	}
	return out
}

// Templates returns SPEC §3's messages as "Severity ID: template", unfilled, in ID order:
// what `iiskit messages` must list.
func Templates() []string {
	ids := make([]int, 0, len(specTexts))
	for id := range specTexts {
		ids = append(ids, int(id))
	}
	sort.Ints(ids)
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = specTexts[event.ID(id)]
	}
	return out
}
