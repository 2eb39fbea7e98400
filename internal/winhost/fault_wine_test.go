//go:build windows

package winhost

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/windows/svc"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// Faults planted on single members of the configuration API stand-in: every COM call
// iiskit makes can fail (MS-IISA: each member returns an HRESULT), and each failure must
// end as the rule of its caller says. A method member throws the planted HRESULT; a
// property member (Count, Collection, ChildElements, Methods) is withheld by the stand-in
// (JScript 5 has no getters), so its read fails with DISP_E_UNKNOWNNAME.
const (
	hrUnknownName = 0x80020006 // DISP_E_UNKNOWNNAME: the withheld property
	hrChoke       = 0x8007007A // the HRESULT appcmd gave for a site with 129 bindings
)

// ftp7 is 2012 R2: the IIS 7.5+ FTP path (the configuration API) whatever the prefix
// reports.
var ftp7 = Version{6, 3, 9600}

// faultHost is two W3 sites, "broken" the one the faults are scoped to.
func faultHost(fault map[string]uint32) iisState {
	return iisState{
		Sites: []stSite{
			{Name: "Default Web Site", ID: 1, State: "Started", Bindings: []stBinding{web("*:80:")}, Applications: []stApp{{"/", ""}}},
			{Name: "broken", ID: 2, State: "Started", Bindings: []stBinding{web("*:81:")}, Applications: []stApp{{"/", ""}}},
		},
		ApplicationPools: []stPool{{Name: "DefaultAppPool", State: "Started"}},
		Fault:            fault,
	}
}

// TestSiteReadFaultsSkipOnlyThatSite (issue item 1: one site that cannot be read must not
// fail the checks of the others): whichever read of one site's element fails, that site
// is left out with a diagnostic naming it (by position when even its name could not be
// read) and the call that failed; the other site is listed with its state.
func TestSiteReadFaultsSkipOnlyThatSite(t *testing.T) {
	needWine(t)
	setService(t, "W3SVC", svc.Running)
	ctx := context.Background()
	for key, want := range map[string]string{
		"broken/site@name":                      "site #1 of the configuration",
		"broken/site@id":                        "HRESULT 0x8007007A",
		"broken/site.ChildElements":             "get ChildElements: HRESULT 0x80020006",
		"broken/site.ChildElements.Item":        "get Item[bindings]: HRESULT 0x8007007A",
		"broken/bindings.Collection":            "get Collection: HRESULT 0x80020006",
		"broken/bindings.Collection.Count":      "get Count: HRESULT 0x80020006",
		"broken/bindings.Collection.Item":       "get Item[0]: HRESULT 0x8007007A",
		"broken/binding@protocol":               "HRESULT 0x8007007A",
		"broken/binding@bindingInformation":     "HRESULT 0x8007007A",
		"broken/site.GetPropertyByName":         "call GetPropertyByName: HRESULT 0x8007007A",
		"broken/site.ChildElements.CreateNewEl": "", // no such member is read: the site is listed
	} {
		t.Run(key, func(t *testing.T) {
			hr := uint32(hrChoke)
			writeIIS(t, faultHost(map[string]uint32{key: hr}))
			h, logs, _ := newHost(t, Options{})
			sites, err := h.ListSites(ctx, resource.W3)
			if err != nil {
				t.Fatal(err)
			}
			if got := stateOf(t, sites, "Default Web Site"); got != platform.SiteStarted {
				t.Errorf("the sound site: %v, want Started", got)
			}
			_, listed := platform.FindSite(sites, "broken")
			if want == "" {
				if !listed || strings.Contains(logs.String(), "skipped") {
					t.Errorf("listed %v, log %q: want the site listed and nothing skipped", listed, logs.String())
				}
				return
			}
			if listed {
				t.Errorf("the site whose %s failed was listed", key)
			}
			who := "broken"
			if key == "broken/site@name" || key == "broken/site.GetPropertyByName" { // not even the name was read
				who = "site #1"
			}
			if l := logs.String(); !strings.Contains(l, "skipped a site") || !strings.Contains(l, who) || !strings.Contains(l, want) {
				t.Errorf("diagnostic %q: want it to name %s and say %q", l, who, want)
			}
		})
	}
}

// TestListingFaultsFailThePass: what is not one site's fault fails the listing with the
// call that failed: the section's collection or its Count unreadable, and access denied
// anywhere (a prerequisite: run elevated), for W3 and FTP alike.
func TestListingFaultsFailThePass(t *testing.T) {
	needWine(t)
	setService(t, "W3SVC", svc.Running)
	setService(t, "FTPSVC", svc.Running)
	ctx := context.Background()
	for _, c := range []struct {
		key    string
		hr     uint32
		typ    resource.Type
		want   string
		denied bool
	}{
		{"system.applicationHost/sites.Collection", hrChoke, resource.W3, "open system.applicationHost/sites: get Collection: HRESULT 0x80020006", false},
		{"system.applicationHost/sites.Collection.Count", hrChoke, resource.W3, "get Count: HRESULT 0x80020006", false},
		{"broken/binding@protocol", hrAccessDenied, resource.W3, "HRESULT 0x80070005", true},
		{"broken/site@id", hrAccessDenied, resource.FTP, "HRESULT 0x80070005", true},
		{"ftpServer@state", hrAccessDenied, resource.FTP, "HRESULT 0x80070005", true},
	} {
		t.Run(fmt.Sprintf("%v %s", c.typ, c.key), func(t *testing.T) {
			st := faultHost(map[string]uint32{c.key: c.hr})
			st.Sites = append(st.Sites, stSite{Name: "ftp", ID: 3, Bindings: []stBinding{{"ftp", "*:21:"}}, FTPServer: &stFTP{"Started"}})
			writeIIS(t, st)
			h, _, _ := newHost(t, Options{Version: &ftp7})
			sites, err := h.ListSites(ctx, c.typ)
			if err == nil || !strings.Contains(err.Error(), c.want) || errors.Is(err, platform.ErrPrerequisite) != c.denied {
				t.Errorf("listing: %v (%d sites), want %q, a prerequisite: %v", err, len(sites), c.want, c.denied)
			}
		})
	}
}

// TestControlFaultsChangeNothing: a Start/Stop whose method cannot be reached or created
// fails with the call that failed (access denied as the prerequisite), and the site's
// state is as it was: no method ran.
func TestControlFaultsChangeNothing(t *testing.T) {
	needWine(t)
	setService(t, "W3SVC", svc.Running)
	setService(t, "FTPSVC", svc.Running)
	ctx := context.Background()
	for _, c := range []struct {
		key    string
		hr     uint32
		typ    resource.Type
		want   string
		denied bool
	}{
		{"site.Methods", hrChoke, resource.W3, "get Methods: HRESULT 0x80020006", false},
		{"site.Methods.Item", hrAccessDenied, resource.W3, "get Item[Stop]: HRESULT 0x80070005", true},
		{"Stop.CreateInstance", hrAccessDenied, resource.W3, "call CreateInstance: HRESULT 0x80070005", true},
		{"Stop.CreateInstance", hrChoke, resource.W3, "call CreateInstance: HRESULT 0x8007007A", false},
		{"ftpServer.Methods.Item", hrChoke, resource.FTP, "get Item[Stop]: HRESULT 0x8007007A", false},
		{"system.applicationHost/sites.Collection.Count", hrChoke, resource.W3, "get Count: HRESULT 0x80020006", false},
	} {
		t.Run(c.key, func(t *testing.T) {
			st := faultHost(map[string]uint32{c.key: c.hr})
			st.Sites[0].Bindings = append(st.Sites[0].Bindings, stBinding{"ftp", "*:21:"})
			st.Sites[0].FTPServer = &stFTP{"Started"}
			writeIIS(t, st)
			before := readIIS(t)
			h, _, _ := newHost(t, Options{Version: &ftp7})
			err := h.StopSite(ctx, c.typ, platform.Site{Name: "Default Web Site", ID: 1})
			if err == nil || !strings.Contains(err.Error(), c.want) || errors.Is(err, platform.ErrPrerequisite) != c.denied || errors.Is(err, platform.ErrNoSite) {
				t.Errorf("stop: %v, want %q, a prerequisite: %v", err, c.want, c.denied)
			}
			if after := readIIS(t); !reflect.DeepEqual(after, before) {
				t.Errorf("the configuration changed:\n%+v\nwant\n%+v", after, before)
			}
			for _, call := range iisCalls(t) {
				if strings.HasPrefix(call, "Stop ") {
					t.Errorf("a method ran: %q", call)
				}
			}
		})
	}
}

// TestPoolFaults (SPEC P): a pool that cannot be looked up is an error, never a state
// nor ErrNoPool; a start IIS answers "already running" is done; a site whose
// applications cannot be read names no pool (SPEC P's default then checks none) while
// the others keep theirs; unreadable defaults fall back as IIS resolves them.
func TestPoolFaults(t *testing.T) {
	needWine(t)
	setService(t, "W3SVC", svc.Running)
	ctx := context.Background()
	for key, want := range map[string]string{
		"system.applicationHost/applicationPools.Collection":       "get Collection: HRESULT 0x80020006",
		"system.applicationHost/applicationPools.Collection.Count": "get Count: HRESULT 0x80020006",
		"system.applicationHost/applicationPools.Collection.Item":  "get Item[0]: HRESULT 0x8007007A",
		"DefaultAppPool/add@name":                                  "HRESULT 0x8007007A",
	} {
		t.Run(key, func(t *testing.T) {
			writeIIS(t, faultHost(map[string]uint32{key: hrChoke}))
			h, _, _ := newHost(t, Options{})
			if s, err := h.PoolState(ctx, "DefaultAppPool"); err == nil || errors.Is(err, platform.ErrNoPool) || !strings.Contains(err.Error(), want) {
				t.Errorf("state: %v %v, want %q", s, err, want)
			}
			if err := h.StartPool(ctx, "DefaultAppPool"); err == nil || errors.Is(err, platform.ErrNoPool) || !strings.Contains(err.Error(), want) {
				t.Errorf("start: %v, want %q", err, want)
			}
			if err := h.StopPool(ctx, SelftestPrefix+"p"); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("stop: %v, want %q", err, want)
			}
		})
	}

	t.Run("already running", func(t *testing.T) {
		st := faultHost(nil)
		st.Refuse = map[string]refusal{"pool:DefaultAppPool:Start": {HResult: hrAlreadyRunning}}
		writeIIS(t, st)
		h, _, _ := newHost(t, Options{})
		if err := h.StartPool(ctx, "DefaultAppPool"); err != nil {
			t.Errorf("a start answered already running: %v, want done", err)
		}
		if err := h.StopPool(ctx, SelftestPrefix+"none"); !errors.Is(err, platform.ErrNoPool) {
			t.Errorf("stop of a missing self-test pool: %v, want ErrNoPool", err)
		}
	})

	// Shop's pools: applications / (its defaults: ShopPool), /api (Other), /v2 (ShopPool).
	for key, want := range map[string][]string{
		"Shop/applications.Collection":               nil,
		"Shop/applications.Collection.Count":         nil,
		"Shop/applications.Collection.Item":          nil,
		"Shop/site.ChildElements.Item":               nil,                           // the listing's own bindings read fails first: Shop is skipped
		"Shop/applicationDefaults@applicationPool":   {"Farm", "Other", "shoppool"}, // /v2 names shoppool itself
		"Shop/application@applicationPool":           {"ShopPool"},                  // each app's own read fails: the site's default
		"system.applicationHost/sites.ChildElements": {"ShopPool", "Other"},
	} {
		t.Run(key, func(t *testing.T) {
			st := poolHost
			st.ApplicationDefaults = &stDefaults{"Farm"}
			st.Fault = map[string]uint32{key: hrChoke}
			writeIIS(t, st)
			h, _, _ := newHost(t, Options{})
			sites, err := h.ListSites(ctx, resource.W3)
			if err != nil {
				t.Fatal(err)
			}
			wantDefault := []string{"Farm"}
			if key == "system.applicationHost/sites.ChildElements" {
				wantDefault = []string{"DefaultAppPool"} // the section's defaults unreadable: the schema's
			}
			if s, _ := platform.FindSite(sites, "Default Web Site"); !slices.Equal(s.Pools, wantDefault) {
				t.Errorf("Default Web Site's pools %q, want %q", s.Pools, wantDefault)
			}
			s, ok := platform.FindSite(sites, "Shop")
			if key == "Shop/site.ChildElements.Item" {
				if ok {
					t.Errorf("Shop listed: %+v", s)
				}
				return
			}
			if !ok || !slices.Equal(s.Pools, want) || (want == nil) != (s.Pools == nil) {
				t.Errorf("Shop's pools %q (listed %v), want %q", s.Pools, ok, want)
			}
		})
	}
}

// TestSelftestFaultsWriteNothing (doctor --exercise leaves the host as it was): a
// refusal at any step of creating or deleting the self-test objects fails that step with
// the call that failed, and nothing is committed.
func TestSelftestFaultsWriteNothing(t *testing.T) {
	needWine(t)
	setService(t, "W3SVC", svc.Running)
	ctx := context.Background()
	st := Selftest{Site: SelftestPrefix + "f", Pool: SelftestPrefix + "f", Binding: "127.0.0.1:8125:", Folder: `C:\iiskit\www`}
	base := iisState{
		Sites:            []stSite{{Name: "Default Web Site", ID: 1, State: "Started", Bindings: []stBinding{web("*:80:")}}, {Name: SelftestPrefix + "old", ID: 7, Bindings: []stBinding{web("127.0.0.1:9:")}}},
		ApplicationPools: []stPool{{Name: "DefaultAppPool", State: "Started"}, {Name: SelftestPrefix + "old", State: "Stopped"}},
	}
	for _, c := range []struct {
		key    string
		create string // the error create must give; "" when the fault is not on its way
		delete string
	}{
		{"system.applicationHost/sites.Collection.Count", "get Count: HRESULT 0x80020006", "get Count: HRESULT 0x80020006"},
		{"system.applicationHost/sites.Collection.Item", "get Item[0]: HRESULT 0x8007007A", "get Item[1]: HRESULT 0x8007007A"},
		{"Default Web Site/site@id", "HRESULT 0x8007007A", ""},
		{"system.applicationHost/sites.Collection.CreateNewElement", "call CreateNewElement: HRESULT 0x8007007A", ""},
		{"system.applicationHost/applicationPools.Collection.AddElement", "call AddElement: HRESULT 0x8007007A", ""},
		{"site.GetPropertyByName", "call GetPropertyByName: HRESULT 0x8007007A", "call GetPropertyByName: HRESULT 0x8007007A"},
		{"application.Collection", "get Collection: HRESULT 0x80020006", ""},
		{"system.applicationHost/sites.Collection.DeleteElement", "", "call DeleteElement: HRESULT 0x8007007A"},
		{"iiskit-selftest-old/add@name", "", "HRESULT 0x8007007A"},
		{"system.applicationHost/applicationPools.Collection", "get Collection: HRESULT 0x80020006", "get Collection: HRESULT 0x80020006"},
	} {
		t.Run(c.key, func(t *testing.T) {
			b := base
			b.Fault = map[string]uint32{c.key: hrChoke}
			writeIIS(t, b)
			h, _, _ := newHost(t, Options{})
			if c.create != "" {
				if err := h.CreateSelftest(ctx, st); err == nil || !strings.Contains(err.Error(), c.create) {
					t.Errorf("create: %v, want %q", err, c.create)
				}
				if got := readIIS(t); !reflect.DeepEqual(got, b) {
					t.Errorf("create wrote:\n%+v\nwant\n%+v", got, b)
				}
			}
			if c.delete != "" {
				if gone, err := h.DeleteSelftest(ctx); err == nil || !strings.Contains(err.Error(), c.delete) {
					t.Errorf("delete: %q %v, want %q", gone, err, c.delete)
				}
				if got := readIIS(t); !reflect.DeepEqual(got, b) {
					t.Errorf("delete wrote:\n%+v\nwant\n%+v", got, b)
				}
			}
		})
	}
}

// TestWMIPropertyFaults: a property of an IIS 6 object the provider refuses, or one of
// the wrong type, fails the listing with the class and property named (a listing that
// cannot read a virtual server's name or bindings cannot say which site is which); a
// virtual server without ServerBindings (the provider gives NULL) is listed with none.
func TestWMIPropertyFaults(t *testing.T) {
	needWine(t)
	setService(t, "SMTPSVC", svc.Running)
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		fault  string
		server stServer
		want   string
	}{
		{"setting Name", "IIsSmtpServerSetting.Name", smtpServers[0], "get Item[Name]: HRESULT 0x80041003"},
		{"ServerComment", "IIsSmtpServerSetting.ServerComment", smtpServers[0], "get Item[ServerComment]: HRESULT 0x80041003"},
		{"ServerBindings", "IIsSmtpServerSetting.ServerBindings", smtpServers[0], "get Item[ServerBindings]: HRESULT 0x80041003"},
		{"a binding's Port", "ServerBinding.Port", smtpServers[0], "ServerBindings: get Item[Port]: HRESULT 0x80041003"},
		{"server Name", "IIsSmtpServer.Name", smtpServers[0], "get Item[Name]: HRESULT 0x80041003"},
		{"ServerState", "IIsSmtpServer.ServerState", smtpServers[0], "get Item[ServerState]: HRESULT 0x80041003"},
		{"the property set", "IIsSmtpServer.Properties_", smtpServers[0], "get Properties_: HRESULT 0x80020006"},
		{"an empty ServerComment: named by its instance", "", stServer{Name: "SmtpSvc/1", ServerComment: "", ServerState: 2, ServerBindings: []stSBind{{"", "25", ""}}}, ""},
		{"a ServerState that is no number", "", stServer{Name: "SmtpSvc/1", ServerComment: "x", ServerState: "Started", ServerBindings: []stSBind{{"", "25", ""}}}, "SmtpSvc/1 ServerState: variant type 8 is not an integer"},
		{"no ServerBindings", "", stServer{Name: "SmtpSvc/1", ServerComment: "bare", ServerState: 2}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := iisState{SMTP: []stServer{c.server}}
			if c.fault != "" {
				st.Fault = map[string]uint32{c.fault: 0x80041003}
			}
			writeIIS(t, st)
			h, _, _ := newHost(t, Options{})
			sites, err := h.ListSites(ctx, resource.SMTP)
			if c.want == "" {
				if err != nil || len(sites) != 1 {
					t.Fatalf("listing: %v %+v, want the one server", err, sites)
				}
				if c.server.ServerComment == "" && sites[0].Name != c.server.Name {
					t.Errorf("named %q, want %q", sites[0].Name, c.server.Name)
				}
				if c.server.ServerBindings == nil && len(sites[0].Bindings) != 0 {
					t.Errorf("bindings %v, want none", sites[0].Bindings)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("listing: %v (%+v), want %q", err, sites, c.want)
			}
		})
	}
}

// TestFTPServerElementFaults: an FTP site whose ftpServer element cannot be read is
// listed in state Unknown (the actions treat it as not started), and its Start/Stop fails
// with the call that failed; a site named without an id is found by its name, as IIS
// compares names (case-insensitively).
func TestFTPServerElementFaults(t *testing.T) {
	needWine(t)
	setService(t, "FTPSVC", svc.Running)
	ctx := context.Background()
	st := iisState{Sites: []stSite{
		{Name: "Default FTP Site", ID: 2, Bindings: []stBinding{{"ftp", "*:21:"}}, FTPServer: &stFTP{"Started"}},
		{Name: "Other FTP", ID: 3, Bindings: []stBinding{{"ftp", "*:2121:"}}, FTPServer: &stFTP{"Started"}},
	}, Fault: map[string]uint32{"Default FTP Site/site.ChildElements.Item(ftpServer)": hrChoke}}
	writeIIS(t, st)
	h, _, _ := newHost(t, Options{Version: &ftp7})
	sites, err := h.ListSites(ctx, resource.FTP)
	if err != nil {
		t.Fatal(err)
	}
	if got := stateOf(t, sites, "Default FTP Site"); got != platform.SiteUnknown {
		t.Errorf("the site whose ftpServer cannot be read: %v, want Unknown", got)
	}
	if got := stateOf(t, sites, "Other FTP"); got != platform.SiteStarted {
		t.Errorf("the other site: %v, want Started", got)
	}
	before := readIIS(t)
	if err := h.StopSite(ctx, resource.FTP, platform.Site{Name: "Default FTP Site", ID: 2}); err == nil || !strings.Contains(err.Error(), "get Item[ftpServer]: HRESULT 0x8007007A") {
		t.Errorf("stop: %v, want the ftpServer read's HRESULT", err)
	}
	if after := readIIS(t); !reflect.DeepEqual(after, before) {
		t.Errorf("the configuration changed:\n%+v\nwant\n%+v", after, before)
	}
	if err := h.StopSite(ctx, resource.FTP, platform.Site{Name: "other ftp"}); err != nil {
		t.Fatalf("stop by name: %v", err)
	}
	if got := readIIS(t).Sites[1].FTPServer.State; got != "Stopped" {
		t.Errorf("after a stop by name the file says %q", got)
	}
}
