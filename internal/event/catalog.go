package event

import (
	"fmt"
	"sort"
	"sync"
)

// ID is an event's number, the Windows event ID.
type ID uint32

// The catalogue's IDs (SPEC §3), named after the step that emits them.
const (
	QuickServiceStopped ID = 9705 // Q1
	QuickNoSiteIndex    ID = 9707 // Q2
	QuickSiteNotStarted ID = 9704 // Q3

	DeepNoSiteIndex      ID = 9765 // D3
	DeepNoIPAddress      ID = 9773 // D4.3
	DeepFTPLoginFailed   ID = 9760 // D4.4
	PollBadArguments     ID = 9754 // D4.6 result 1
	PollNoHandle         ID = 9755 // D4.6 result 2
	PollFTPNoConnection  ID = 9756 // D4.6 result 3
	PollHTTPNoConnection ID = 9757 // D4.6 result 4
	PollHTTPNoRequest    ID = 9758 // D4.6 result 5
	PollHTTPNoAnswer     ID = 9759 // D4.6 result 6

	RestoreSiteNotFound      ID = 9414 // R1
	RestoreServiceNotStarted ID = 9409 // R2
	RestoreNoSiteIndex       ID = 9420 // R3
	RestoreBindingInUse      ID = 9422 // R4
	RestoreSiteNotStarted    ID = 9706 // R6
	RestoreSucceeded         ID = 9407 // R7
	RestoreFailed            ID = 9408 // R8

	RemoveServiceNotStarted ID = 9557 // M1
	RemoveNoSiteIndex       ID = 9563 // M2
	RemoveSiteNotStopped    ID = 9556 // M4
	RemoveSucceeded         ID = 9558 // M5

	RecoverServiceNotStarted ID = 9607 // C1
	RecoverNoSiteIndex       ID = 9609 // C2
	RecoverSiteNotStarted    ID = 9606 // C3

	// [ext] events, 9800..9899.
	DeepCertExpiring     ID = 9801 // D4.5 https, cert_warn_days
	DeepSMTPNoConnection ID = 9802 // D4 deep_smtp, no connection
	DeepSMTPNoAnswer     ID = 9803 // D4 deep_smtp, no valid answer
	ResourceBusy         ID = 9804 // S4, another action holds the tag's lock
	LockUnusable         ID = 9805 // S4, the tag's lock cannot be taken at all (lock folder)

	// [ext] events of the watch daemon (iiskit watch), 9810..9819.
	WatchRecoverStarted   ID = 9810 // failures_before_recover reached: local recovery starts
	WatchRecoverSucceeded ID = 9811 // the local recovery brought the site back
	WatchRecoverFailed    ID = 9812 // the local recovery did not
	WatchBudgetSpent      ID = 9813 // recover_budget spent within recover_window
	WatchFlappingStarted  ID = 9814 // percent state change reached flap_high
	WatchFlappingStopped  ID = 9815 // percent state change fell to flap_low
	WatchReloadRefused    ID = 9816 // SIGHUP / ParamChange with a bad resource file
	WatchCheckPanicked    ID = 9817 // a check or recovery panicked; the daemon goes on
	WatchStarted          ID = 9818 // the daemon protects the resources of a file
	WatchReloaded         ID = 9819 // the daemon took a new resource file

	// [ext] application pool events (SPEC P), 9820..9824.
	PoolNotStarted        ID = 9820 // P1, a pool is Stopped
	PoolMissing           ID = 9821 // P1, P2, P3: a pool that does not exist
	RestorePoolNotStarted ID = 9822 // P2, a pool that does not start
	RecoverPoolNotStarted ID = 9823 // P3, a pool that does not start
	WatchPoolStarted      ID = 9824 // P3 in the watch daemon: its local recovery started a pool
)

// Message is one catalogue entry: the ID, its severity and its text template with the
// $NAMES of SPEC §3.
type Message struct {
	ID       ID       `json:"id"`
	Severity Severity `json:"severity"`
	Text     string   `json:"text"`
}

// messages is the one place that holds the messages' severities and texts. The texts are
// the original kit's, character for character. A literal of constants is static data: it
// costs nothing when the program starts.
var messages = []Message{
	{QuickServiceStopped, Error, `Checking LifeKeeper resource "$TAGNAME". IIS Service "$SVCTYPE" on system $SYS is not in the started state as required for site "$SITENAME". StateCode = $SVCSTATECODE.`},
	{QuickNoSiteIndex, Error, `Checking LifeKeeper resource "$TAGNAME". The IIS metabase index for protected site "$SITENAME" is null (invalid) on system $SYS. The site may not exist.`},
	{QuickSiteNotStarted, Error, `Checking LifeKeeper resource "$TAGNAME". IIS Site "$SITENAME" on system $SYS is not in the started state. Current state is "$SITESTATE".`},
	{DeepNoSiteIndex, Error, `Checking LifeKeeper resource "$TAGNAME". The IIS metabase index for protected site "$SITENAME" is null (invalid) on system $SYS. The site may not exist.`},
	{DeepNoIPAddress, Warning, `Checking LifeKeeper protected resource "$TAGNAME". The IIS configuration for site "$SITENAME" does not include an IP address! Deep check validation of the site can not be completed.`},
	{DeepFTPLoginFailed, Error, `The FTP site "$SITENAME" failed to respond successfully to the user supplied query. A successful FTP login response must include a 230 response line that starts with "230 ". The actual FTP response was as follows: $FTPRESPONSE`},
	{PollBadArguments, Error, `The number of arguments passed to pollsite is not correct.`},
	{PollNoHandle, Error, `Cannot obtain a valid handle for polling the $SITETYPE.`},
	{PollFTPNoConnection, Error, `Cannot get a valid connection to the ftp $SITETYPE or the ftp site failed to respond.`},
	{PollHTTPNoConnection, Error, `Cannot get a valid connection to the http $SITETYPE.`},
	{PollHTTPNoRequest, Error, `Cannot obtain a valid http request handle from the polled $SITETYPE.`},
	{PollHTTPNoAnswer, Error, `The $SITETYPE failed to respond to the http request.`},
	{RestoreSiteNotFound, Error, `Restoring LifeKeeper resource "$TAGNAME". Protected IIS site "$SITENAME" was not found in the current IIS Metadata. The site may no longer exist.`},
	{RestoreServiceNotStarted, Error, `IIS Service "$SVCTYPE" servicing LifeKeeper resource "$TAGNAME" could not be started. Current state is now "$SVCSTATEDESC" on system $SYS.`},
	{RestoreNoSiteIndex, Error, `While restoring resource "$TAGNAME" an invalid (null) instance number was retrieved from the IIS metabase for site "$SITENAME". The site can not be started.`},
	{RestoreBindingInUse, Error, `IIS Site $SITENAME can not be started because its IP:Port:Header binding ($abind) is currently in use on site "$ACTIVESITE".`},
	{RestoreSiteNotStarted, Error, `Unable to start IIS Site "$SITENAME" on system $SYS`},
	{RestoreSucceeded, Information, `Restore resource $TAGNAME End: Successful`},
	{RestoreFailed, Error, `Restore resource $TAGNAME End: Failed.`},
	{RemoveServiceNotStarted, Error, `Removing resource "$TAGNAME". IIS Service "$SVCTYPE" could not be started before stopping site "$SITENAME". Current service state on system $SYS is now "$SVCSTATEDESC".`},
	{RemoveNoSiteIndex, Warning, `Removing LifeKeeper resource "$TAGNAME". The IIS metabase index for protected site "$SITENAME" is null (invalid) on system $SYS. The site may not exist.`},
	{RemoveSiteNotStopped, Error, `Unable to stop IIS site associated with LifeKeeper tag "$TAGNAME" on system $SYS`},
	{RemoveSucceeded, Information, `Remove IIS resource $TAGNAME End: Successful`},
	{RecoverServiceNotStarted, Error, `IIS Service "$SVCTYPE" servicing LifeKeeper resource "$TAGNAME" could not be started. Current state is now "$SVCSTATEDESC" on system $SYS.`},
	{RecoverNoSiteIndex, Error, `While recovering resource "$TAGNAME" an invalid (null) instance number was retrieved from the IIS metabase for site "$SITENAME". The site can not be started.`},
	{RecoverSiteNotStarted, Error, `Recovering resource "$TAGNAME". Unable to start IIS site "$SITENAME" on system "$SYS".`},
	{DeepCertExpiring, Warning, `Checking LifeKeeper resource "$TAGNAME". The certificate of IIS site "$SITENAME" on binding ($abind) on system $SYS expires at $CERTEXPIRES, within $CERTDAYS days. Renew it before the site stops being trusted.`},
	{DeepSMTPNoConnection, Error, `Checking LifeKeeper resource "$TAGNAME". Cannot get a valid connection to the $SITETYPE "$SITENAME" on binding ($abind) on system $SYS.`},
	{ResourceBusy, Warning, `Resource "$TAGNAME" is busy: another iiskit action on it holds its lock on system $SYS. This action waits for it to end, up to its own deadline.`},
	{LockUnusable, Error, `Resource "$TAGNAME" cannot be locked on system $SYS, so no action runs on it: $REASON. The lock folder must be owned by the user running iiskit (or an administrator) and writable by no one else; repair it or set IISKIT_LOCK_DIR.`},
	{WatchRecoverStarted, Information, `Watching LifeKeeper resource "$TAGNAME". IIS site "$SITENAME" on system $SYS failed its checks ($COUNT failed since it was last up): starting local recovery.`},
	{WatchRecoverSucceeded, Information, `Watching LifeKeeper resource "$TAGNAME". Local recovery of IIS site "$SITENAME" on system $SYS succeeded.`},
	{WatchRecoverFailed, Error, `Watching LifeKeeper resource "$TAGNAME". Local recovery of IIS site "$SITENAME" on system $SYS failed; the checks go on.`},
	{WatchBudgetSpent, Error, `Watching LifeKeeper resource "$TAGNAME". The recovery budget of IIS site "$SITENAME" on system $SYS is spent (recover_budget $LIMIT, recover_window $WINDOW): iiskit stops recovering it and only checks it until the window has passed. Move the resource to another node or repair the site.`},
	{WatchFlappingStarted, Warning, `Watching LifeKeeper resource "$TAGNAME". IIS site "$SITENAME" on system $SYS is flapping: $PERCENT% state change over the last 21 checks (threshold $LIMIT%). Local recovery waits until it settles.`},
	{WatchFlappingStopped, Warning, `Watching LifeKeeper resource "$TAGNAME". IIS site "$SITENAME" on system $SYS has stopped flapping: $PERCENT% state change over the last 21 checks (threshold $LIMIT%). Local recovery is possible again.`},
	{WatchReloadRefused, Error, `The iiskit watch daemon on system $SYS refused to reload the resource file $FILE: $REASON. It goes on protecting the resources of the file it had.`},
	{WatchCheckPanicked, Error, `Watching LifeKeeper resource "$TAGNAME". An internal error stopped the $REASON of IIS site "$SITENAME" on system $SYS; the daemon goes on. Please report this.`},
	{WatchStarted, Information, `The iiskit watch daemon on system $SYS protects the resources of the resource file $FILE: $COUNT in all.`},
	{WatchReloaded, Information, `The iiskit watch daemon on system $SYS reloaded the resource file $FILE and now protects its resources: $COUNT in all.`},
	{PoolNotStarted, Error, `Checking LifeKeeper resource "$TAGNAME". Application pool "$POOL" of IIS site "$SITENAME" on system $SYS is not in the started state. Current state is "$POOLSTATE".`},
	{PoolMissing, Error, `$OPENING Application pool "$POOL" of IIS site "$SITENAME" does not exist on system $SYS.`},
	{RestorePoolNotStarted, Error, `Restoring LifeKeeper resource "$TAGNAME". Unable to start application pool "$POOL" of IIS site "$SITENAME" on system $SYS. Current state is "$POOLSTATE".`},
	{RecoverPoolNotStarted, Error, `Recovering resource "$TAGNAME". Unable to start application pool "$POOL" of IIS site "$SITENAME" on system $SYS. Current state is "$POOLSTATE".`},
	{WatchPoolStarted, Information, `Watching LifeKeeper resource "$TAGNAME". Local recovery started application pool "$POOL" of IIS site "$SITENAME" on system $SYS, whose state was "$POOLSTATE".`},
	{DeepSMTPNoAnswer, Error, `Checking LifeKeeper resource "$TAGNAME". The $SITETYPE "$SITENAME" on binding ($abind) on system $SYS did not answer the greeting, EHLO and QUIT as an SMTP server must. The actual SMTP response was as follows: $SMTPRESPONSE`},
}

// catalog indexes messages by ID. It is built on first use, not when the program starts,
// so that a command that writes no event (version, the script generators) does not pay
// for it.
var catalog = sync.OnceValue(func() map[ID]Message {
	c := make(map[ID]Message, len(messages))
	for _, m := range messages {
		register(c, m)
	}
	return c
})

// register adds a message to the index c; it panics on a duplicate ID or an unknown $NAME,
// programming errors that the package's tests of the catalogue catch.
func register(c map[ID]Message, m Message) {
	if _, dup := c[m.ID]; dup {
		panic(fmt.Sprintf("event: ID %d registered twice", m.ID))
	}
	if err := checkTemplate(m.Text); err != nil {
		panic(fmt.Sprintf("event: ID %d: %v", m.ID, err))
	}
	c[m.ID] = m
}

// Lookup returns the catalogue entry for id.
func Lookup(id ID) (Message, bool) {
	m, ok := catalog()[id]
	return m, ok
}

// Catalog returns every message in ascending ID order.
func Catalog() []Message {
	c := catalog()
	out := make([]Message, 0, len(c))
	for _, m := range c {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
