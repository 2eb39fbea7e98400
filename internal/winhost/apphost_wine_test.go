//go:build windows

package winhost

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/windows/registry"
	"golang.org/x/sys/windows/svc"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// TestW3ThroughConfigurationAPI lists hostile-named W3 sites through the configuration
// API stand-in, stops and starts each by its Start/Stop methods, and starts no process:
// the recording appcmd stand-in at the real path never runs.
func TestW3ThroughConfigurationAPI(t *testing.T) {
	needWine(t)
	setService(t, "W3SVC", svc.Running)
	st := iisState{}
	for i, n := range hostile {
		st.Sites = append(st.Sites, stSite{Name: n, ID: int64(i + 1), State: "Started", Bindings: []stBinding{web("127.0.0.2:80:" + strings.Repeat("h", i+1))}})
	}
	// An FTP-only site (iis-docs ftpServer sample shape): not a W3 site, and its
	// site-level state must never be read (IIS throws 0x800710D8).
	st.Sites = append(st.Sites, stSite{Name: "ftp only", ID: 99, Bindings: []stBinding{{"ftp", "*:21:"}}, FTPServer: &stFTP{"Started"}})
	writeIIS(t, st)
	h, _, run := newHost(t, Options{})
	ctx := context.Background()
	got, err := h.ListSites(ctx, resource.W3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(hostile) {
		t.Fatalf("listed %d W3 sites, want %d: %v", len(got), len(hostile), got)
	}
	for _, s := range got {
		if s.State != platform.SiteStarted {
			t.Errorf("%q listed %v, want Started", s.Name, s.State)
		}
		if err := h.StopSite(ctx, resource.W3, s); err != nil {
			t.Fatalf("stop %q: %v", s.Name, err)
		}
	}
	after, err := h.ListSites(ctx, resource.W3)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range after {
		if s.State != platform.SiteStopped {
			t.Errorf("%q is %v after stop", s.Name, s.State)
		}
	}
	if err := h.StartSite(ctx, resource.W3, after[0]); err != nil {
		t.Fatal(err)
	}
	if got := readIIS(t).Sites[0].State; got != "Started" {
		t.Errorf("after StartSite the file says %q", got)
	}
	if err := h.StartSite(ctx, resource.W3, platform.Site{Name: "no such site", ID: 77}); !errors.Is(err, platform.ErrNoSite) {
		t.Errorf("start of a missing site: %v, want ErrNoSite", err)
	}
	var want []string
	for _, n := range hostile {
		want = append(want, "read state site "+n)
	}
	for _, n := range hostile {
		want = append(want, "Stop site "+n)
	}
	for _, n := range hostile {
		want = append(want, "read state site "+n)
	}
	want = append(want, "Start site "+hostile[0])
	if got := iisCalls(t); !slices.Equal(got, want) {
		t.Errorf("the stand-in was asked\n%q\nwant\n%q", got, want)
	}
	if n := run.count() + appcmdProcesses(t); n != 0 {
		t.Errorf("%d appcmd processes, want 0", n)
	}
}

// TestOneUnreadableSiteDoesNotFailTheOthers: a site whose state read fails is listed
// Unknown (as appcmd shows it); a site whose binding does not parse is skipped with a
// diagnostic naming it; the other sites are listed with their states.
func TestOneUnreadableSiteDoesNotFailTheOthers(t *testing.T) {
	needWine(t)
	setService(t, "W3SVC", svc.Running)
	writeIIS(t, iisState{
		Sites: []stSite{
			{Name: "Default Web Site", ID: 1, State: "Started", Bindings: []stBinding{web("*:80:")}},
			// 0x8007007A: the HRESULT appcmd gave for a site with 129 bindings.
			{Name: "choking", ID: 2, State: "Started", Bindings: []stBinding{web("127.0.0.2:80:")}},
			{Name: "garbage binding", ID: 3, State: "Started", Bindings: []stBinding{web("no-port-here")}},
			{Name: "Stopped One", ID: 4, State: "Stopped", Bindings: []stBinding{{"https", "*:443:"}}},
		},
		Refuse: map[string]refusal{"site:choking:state": {HResult: 0x8007007A}},
	})
	h, logs, _ := newHost(t, Options{})
	sites, err := h.ListSites(context.Background(), resource.W3)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]platform.SiteState{"Default Web Site": platform.SiteStarted, "choking": platform.SiteUnknown, "Stopped One": platform.SiteStopped} {
		if got := stateOf(t, sites, name); got != want {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
	if _, ok := platform.FindSite(sites, "garbage binding"); ok {
		t.Error("the site with a binding that does not parse was listed")
	}
	if !strings.Contains(logs.String(), `garbage binding`) {
		t.Errorf("no diagnostic names the skipped site: %q", logs.String())
	}
}

// TestSiteStateNeedsWebBinding: the site-level state is read only for sites with an
// http or https binding (IIS throws 0x800710D8 otherwise); a site without bindings is a
// W3 site in state Unknown, as appcmd lists it.
func TestSiteStateNeedsWebBinding(t *testing.T) {
	needWine(t)
	setService(t, "W3SVC", svc.Running)
	writeIIS(t, iisState{Sites: []stSite{
		{Name: "no bindings", ID: 5, Bindings: []stBinding{}},
		{Name: "wcf only", ID: 6, Bindings: []stBinding{{"net.tcp", "808:*"}}},
		{Name: "ftp only", ID: 7, Bindings: []stBinding{{"ftp", "*:21:"}}, FTPServer: &stFTP{"Started"}},
	}})
	h, _, _ := newHost(t, Options{})
	sites, err := h.ListSites(context.Background(), resource.W3)
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) != 2 || stateOf(t, sites, "no bindings") != platform.SiteUnknown || stateOf(t, sites, "wcf only") != platform.SiteUnknown {
		t.Errorf("got %v, want the two non-FTP sites, Unknown", sites)
	}
	for _, c := range iisCalls(t) {
		if strings.HasPrefix(c, "read state site") {
			t.Errorf("read a site-level state without an http/https binding: %s", c)
		}
	}
}

// TestStartRefusedWhileW3SVCStopped: IIS refuses to start a site while W3SVC is not
// running; the refusal is an error (the action's to handle), not "no such site", and
// the states read Unknown as appcmd shows them then.
func TestStartRefusedWhileW3SVCStopped(t *testing.T) {
	needWine(t)
	writeIIS(t, iisState{Sites: []stSite{{Name: "Default Web Site", ID: 1, State: "Stopped", Bindings: []stBinding{web("*:80:")}}}})
	setService(t, "W3SVC", svc.Stopped)
	defer setService(t, "W3SVC", svc.Running)
	h, _, _ := newHost(t, Options{})
	ctx := context.Background()
	sites, err := h.ListSites(ctx, resource.W3)
	if err != nil {
		t.Fatal(err)
	}
	if got := stateOf(t, sites, "Default Web Site"); got != platform.SiteUnknown {
		t.Errorf("state with W3SVC stopped: %v, want Unknown", got)
	}
	err = h.StartSite(ctx, resource.W3, sites[0])
	if hr, _ := hresult(err); err == nil || errors.Is(err, platform.ErrNoSite) || hr != hrServiceNotActive {
		t.Errorf("start with W3SVC stopped: %v (HRESULT %#x), want the service-not-active refusal", err, hr)
	}
}

// TestAccessDeniedIsAPrerequisite: the API denying access (not elevated) is
// platform.ErrPrerequisite, for a listing and for a method.
func TestAccessDeniedIsAPrerequisite(t *testing.T) {
	needWine(t)
	setService(t, "W3SVC", svc.Running)
	ctx := context.Background()
	site := stSite{Name: "Default Web Site", ID: 1, State: "Started", Bindings: []stBinding{web("*:80:")}}
	writeIIS(t, iisState{Sites: []stSite{site}, Refuse: map[string]refusal{"GetAdminSection": {HResult: hrAccessDenied}}})
	h, _, _ := newHost(t, Options{})
	if _, err := h.ListSites(ctx, resource.W3); !errors.Is(err, platform.ErrPrerequisite) {
		t.Errorf("list: %v, want ErrPrerequisite", err)
	}
	writeIIS(t, iisState{Sites: []stSite{site}, Refuse: map[string]refusal{"site:Default Web Site:Stop": {HResult: hrAccessDenied}}})
	if err := h.StopSite(ctx, resource.W3, platform.Site{Name: "Default Web Site", ID: 1}); !errors.Is(err, platform.ErrPrerequisite) {
		t.Errorf("stop: %v, want ErrPrerequisite", err)
	}
	writeIIS(t, iisState{Sites: []stSite{site}, Refuse: map[string]refusal{"site:Default Web Site:state": {HResult: hrAccessDenied}}})
	if _, err := h.ListSites(ctx, resource.W3); !errors.Is(err, platform.ErrPrerequisite) {
		t.Errorf("state read: %v, want ErrPrerequisite", err)
	}
}

// TestHungCallEndsByTheDeadline: a method that does not return is abandoned at the
// caller's deadline; its thread is counted until the call returns, and past
// maxStuckCOM such threads new calls fail at once.
func TestHungCallEndsByTheDeadline(t *testing.T) {
	needWine(t)
	setService(t, "W3SVC", svc.Running)
	writeIIS(t, iisState{
		Sites:  []stSite{{Name: "Default Web Site", ID: 1, State: "Started", Bindings: []stBinding{web("*:80:")}}},
		Refuse: map[string]refusal{"site:Default Web Site:Stop": {Hang: 1500}},
	})
	h, _, _ := newHost(t, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	began := time.Now()
	err := h.StopSite(ctx, resource.W3, platform.Site{Name: "Default Web Site", ID: 1})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("hung stop: %v, want the deadline", err)
	}
	if took := time.Since(began); took > time.Second {
		t.Errorf("the hung stop returned after %v, want about its 300 ms deadline", took)
	}
	if n := h.com.stuck.Load(); n != 1 {
		t.Errorf("%d calls counted stuck, want 1", n)
	}
	// The bound: with maxStuckCOM calls outstanding, a new one fails at once.
	h.com.stuck.Add(maxStuckCOM - 1)
	if _, err := h.ListSites(context.Background(), resource.W3); !errors.Is(err, errTooManyStuck) {
		t.Errorf("with %d stuck calls: %v, want errTooManyStuck", maxStuckCOM, err)
	}
	h.com.stuck.Add(-(maxStuckCOM - 1))
	// When the hung call returns, its thread uncounts itself.
	waitUnstuck(t, h)
}

// waitUnstuck waits until no abandoned COM call of h is still running. Under Wine a
// script component busy in one thread cannot be created in another (0x80040154), so
// each test that hangs one waits here before the next test begins.
func waitUnstuck(t *testing.T, h *Host) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for h.com.stuck.Load() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("an abandoned call never uncounted itself")
		}
		time.Sleep(20 * time.Millisecond) // polling a counter no event reports
	}
}

// TestAPIAbsent: without the API's ProgID, W3 falls back to appcmd (one process per
// read, with a warning); with a ProgID whose class is not registered (0x80040154, as
// where only IIS Express is installed) likewise at the first call; with appcmd missing
// too, New fails with the prerequisite error naming both; FTP has no fallback.
func TestAPIAbsent(t *testing.T) {
	needWine(t)
	setService(t, "W3SVC", svc.Running)
	ctx := context.Background()
	writeIIS(t, iisState{})
	// A ProgID that names a CLSID with no class behind it: CoCreateInstance answers
	// REGDB_E_CLASSNOTREG.
	k, _, err := registry.CreateKey(registry.CURRENT_USER, `Software\Classes\IISKit.Test.NotInstalled\CLSID`, registry.SET_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	if err := k.SetStringValue("", "{0d6f4c1e-7b2a-4f59-9e3c-1a2b3c4d5e6f}"); err != nil {
		t.Fatal(err)
	}
	k.Close()
	for _, progID := range []string{"IISKit.Test.NoSuchProgID", "IISKit.Test.NotInstalled"} {
		t.Run(progID, func(t *testing.T) {
			writeSites(t, []standInSite{{Name: "Default Web Site", ID: 1, State: "Started", Bindings: nil}})
			h, logs, run := newHost(t, Options{ProgIDs: ProgIDs{AdminManager: progID, WritableAdminManager: progID}})
			sites, err := h.ListSites(ctx, resource.W3)
			if err != nil {
				t.Fatal(err)
			}
			if stateOf(t, sites, "Default Web Site") != platform.SiteStarted || run.count() != 1 {
				t.Errorf("fallback listing %v with %d processes, want Started through 1 appcmd", sites, run.count())
			}
			if err := h.StopSite(ctx, resource.W3, sites[0]); err != nil || run.count() != 2 {
				t.Errorf("fallback stop: %v, %d processes", err, run.count())
			}
			if !strings.Contains(logs.String(), "appcmd") {
				t.Errorf("no warning about the fallback: %q", logs.String())
			}
			if h.version.after2008R2() {
				if _, err := h.ListSites(ctx, resource.FTP); !errors.Is(err, platform.ErrPrerequisite) {
					t.Errorf("FTP without the API: %v, want ErrPrerequisite", err)
				}
			}
		})
	}
	_, err = New(ctx, Options{ProgIDs: ProgIDs{AdminManager: "IISKit.Test.NoSuchProgID"}, AppcmdPath: `C:\nowhere\appcmd.exe`})
	if !errors.Is(err, platform.ErrPrerequisite) || !strings.Contains(err.Error(), "appcmd.exe") || !strings.Contains(err.Error(), "IISKit.Test.NoSuchProgID") {
		t.Errorf("neither API nor appcmd: %v, want ErrPrerequisite naming both", err)
	}
	// With the API present, appcmd is not needed at all.
	if _, err := New(ctx, Options{AppcmdPath: `C:\nowhere\appcmd.exe`}); err != nil {
		t.Errorf("API present, appcmd missing: %v, want nil", err)
	}
}

// TestFTPThroughConfigurationAPI: FTP sites' state is the ftpServer element's; Start and
// Stop are its methods; a site with both http and ftp keeps its W3 state; FTPSVC stopped
// reads Unknown.
func TestFTPThroughConfigurationAPI(t *testing.T) {
	needWine(t)
	setService(t, "W3SVC", svc.Running)
	setService(t, "FTPSVC", svc.Running)
	writeIIS(t, iisState{Sites: []stSite{
		{Name: "Default FTP Site", ID: 2, Bindings: []stBinding{{"ftp", "*:21:"}}, FTPServer: &stFTP{"Started"}},
		{Name: "Both", ID: 3, State: "Started", Bindings: []stBinding{web("*:8080:"), {"ftp", "127.0.0.2:2121:"}}, FTPServer: &stFTP{"Stopped"}},
	}})
	v := Version{6, 3, 9600} // 2012 R2: the IIS 7.5+ FTP path whatever the prefix reports
	h, _, run := newHost(t, Options{Version: &v})
	ctx := context.Background()
	sites, err := h.ListSites(ctx, resource.FTP)
	if err != nil {
		t.Fatal(err)
	}
	if stateOf(t, sites, "Default FTP Site") != platform.SiteStarted || stateOf(t, sites, "Both") != platform.SiteStopped {
		t.Fatalf("got %v", sites)
	}
	both, _ := platform.FindSite(sites, "Both")
	if err := h.StartSite(ctx, resource.FTP, both); err != nil {
		t.Fatal(err)
	}
	ftp, _ := platform.FindSite(sites, "Default FTP Site")
	if err := h.StopSite(ctx, resource.FTP, ftp); err != nil {
		t.Fatal(err)
	}
	st := readIIS(t)
	if st.Sites[0].FTPServer.State != "Stopped" || st.Sites[1].FTPServer.State != "Started" || st.Sites[1].State != "Started" {
		t.Errorf("after the FTP start and stop: %+v", st.Sites)
	}
	for _, c := range iisCalls(t) {
		if strings.HasPrefix(c, "read state site") || strings.HasSuffix(c, "site Both") {
			t.Errorf("the FTP path touched a site-level state: %s", c)
		}
	}
	setService(t, "FTPSVC", svc.Stopped)
	defer setService(t, "FTPSVC", svc.Running)
	sites, err = h.ListSites(ctx, resource.FTP)
	if err != nil {
		t.Fatal(err)
	}
	if stateOf(t, sites, "Both") != platform.SiteUnknown {
		t.Errorf("FTPSVC stopped: %v, want Unknown", sites)
	}
	if run.count() != 0 {
		t.Errorf("%d processes", run.count())
	}
}
