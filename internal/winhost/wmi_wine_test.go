//go:build windows

package winhost

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/windows/svc"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// SMTP virtual servers in the shapes of the IIS 6 SDK's IIsSmtpServerSetting samples
// ("[SMTP Virtual Server #1]", ServerBindings ":25:").
var smtpServers = []stServer{
	{Name: "SmtpSvc/1", ServerComment: "[SMTP Virtual Server #1]", ServerState: 2, ServerBindings: []stSBind{{"", "25", ""}}},
	{Name: "SmtpSvc/2", ServerComment: "Relay", ServerState: 4, ServerBindings: []stSBind{{"127.0.0.2", "2525", "relay.local"}, {"127.0.0.3", "25", ""}}},
}

// TestSMTPThroughWMI lists SMTP virtual servers through the IIS 6 WMI provider stand-in
// (enumerated by DISPID_NEWENUM, ServerBindings as an array of embedded objects), and
// drives them through SMTPSVC, since IIsSmtpServer has no methods.
func TestSMTPThroughWMI(t *testing.T) {
	needWine(t)
	setService(t, "SMTPSVC", svc.Running)
	writeIIS(t, iisState{SMTP: smtpServers})
	h, _, run := newHost(t, Options{})
	ctx := context.Background()
	sites, err := h.ListSites(ctx, resource.SMTP)
	if err != nil {
		t.Fatal(err)
	}
	want := []platform.Site{
		{Name: "[SMTP Virtual Server #1]", ID: 1, State: platform.SiteStarted, Bindings: []resource.Binding{{Protocol: "smtp", Port: 25}}},
		{Name: "Relay", ID: 2, State: platform.SiteStopped, Bindings: []resource.Binding{{Protocol: "smtp", IP: netip.MustParseAddr("127.0.0.2"), Port: 2525, Host: "relay.local"}, {Protocol: "smtp", IP: netip.MustParseAddr("127.0.0.3"), Port: 25}}},
	}
	if !slices.EqualFunc(sites, want, func(a, b platform.Site) bool {
		return a.Name == b.Name && a.ID == b.ID && a.State == b.State && slices.Equal(a.Bindings, b.Bindings)
	}) {
		t.Errorf("got %+v\nwant %+v", sites, want)
	}
	// A running SMTPSVC with this virtual server stopped cannot be fixed by verified
	// means: an error saying what to do, not a service start.
	if err := h.StartSite(ctx, resource.SMTP, sites[1]); err == nil {
		t.Error("start of a stopped virtual server under a running SMTPSVC: nil error")
	}
	if err := h.StopSite(ctx, resource.SMTP, sites[0]); err != nil {
		t.Fatal(err)
	}
	waitState(t, h, "SMTPSVC", platform.Stopped)
	sites, err = h.ListSites(ctx, resource.SMTP)
	if err != nil {
		t.Fatal(err)
	}
	if stateOf(t, sites, "[SMTP Virtual Server #1]") != platform.SiteStopped {
		t.Errorf("after the SMTPSVC stop: %v", sites)
	}
	if err := h.StartSite(ctx, resource.SMTP, sites[0]); err != nil {
		t.Fatal(err)
	}
	waitState(t, h, "SMTPSVC", platform.Running)
	if run.count() != 0 {
		t.Errorf("%d processes", run.count())
	}
}

// TestWMIRefusals: the provider missing (0x8004100E: IIS 6 WMI Compatibility not
// installed) is a prerequisite naming what to install; a hung query ends by the deadline.
func TestWMIRefusals(t *testing.T) {
	needWine(t)
	setService(t, "SMTPSVC", svc.Running)
	h, _, _ := newHost(t, Options{})
	writeIIS(t, iisState{SMTP: smtpServers, Refuse: map[string]refusal{"wmi:ConnectServer": {HResult: 0x8004100E}}})
	if _, err := h.ListSites(context.Background(), resource.SMTP); !errors.Is(err, platform.ErrPrerequisite) || !errors.Is(err, errNoIIS6Compat) {
		t.Errorf("provider missing: %v, want ErrPrerequisite naming IIS 6 WMI Compatibility", err)
	}
	writeIIS(t, iisState{SMTP: smtpServers, Refuse: map[string]refusal{"wmi:ExecQuery": {Hang: 1200}}})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := h.ListSites(ctx, resource.SMTP); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("hung query: %v, want the deadline", err)
	}
	waitUnstuck(t, h)
}

// TestLegacyFTPThroughWMI: before 2012 (Windows 6.1), FTP sites are IIS 6 metabase
// sites of MSFTPSVC, started and stopped by IIsFtpServer's own methods.
func TestLegacyFTPThroughWMI(t *testing.T) {
	needWine(t)
	setService(t, "MSFTPSVC", svc.Running)
	writeIIS(t, iisState{FTP6: []stServer{{Name: "MSFTPSVC/1", ServerComment: "Default FTP Site", ServerState: 2, ServerBindings: []stSBind{{"", "21", ""}}}}})
	v := Version{6, 1, 7601}
	h, _, _ := newHost(t, Options{Version: &v})
	ctx := context.Background()
	name, err := h.ServiceName(ctx, resource.FTP)
	if err != nil || name != "MSFTPSVC" {
		t.Fatalf("ServiceName(FTP) on 6.1 = %q %v, want MSFTPSVC", name, err)
	}
	sites, err := h.ListSites(ctx, resource.FTP)
	if err != nil {
		t.Fatal(err)
	}
	if stateOf(t, sites, "Default FTP Site") != platform.SiteStarted {
		t.Fatalf("got %v", sites)
	}
	if err := h.StopSite(ctx, resource.FTP, sites[0]); err != nil {
		t.Fatal(err)
	}
	if err := h.StartSite(ctx, resource.FTP, platform.Site{Name: "gone", ID: 9}); !errors.Is(err, platform.ErrNoSite) {
		t.Errorf("start of a missing instance: %v, want ErrNoSite", err)
	}
	sites, err = h.ListSites(ctx, resource.FTP)
	if err != nil {
		t.Fatal(err)
	}
	if stateOf(t, sites, "Default FTP Site") != platform.SiteStopped {
		t.Errorf("after Stop: %v", sites)
	}
	if got, want := iisCalls(t), []string{"Stop IIsFtpServer MSFTPSVC/1"}; !slices.Equal(got, want) {
		t.Errorf("calls %q, want %q", got, want)
	}
}

// TestWMIMethodRefusals: a query or a method the provider refuses is the action's error,
// with its HRESULT; a start while the service is stopped is refused, as IIS 6 does.
func TestWMIMethodRefusals(t *testing.T) {
	needWine(t)
	setService(t, "MSFTPSVC", svc.Running)
	ftp6 := []stServer{{Name: "MSFTPSVC/1", ServerComment: "Default FTP Site", ServerState: 4, ServerBindings: []stSBind{{"", "21", ""}}}}
	v := Version{6, 1, 7601}
	h, _, _ := newHost(t, Options{Version: &v})
	ctx := context.Background()
	site := platform.Site{Name: "Default FTP Site", ID: 1}
	writeIIS(t, iisState{FTP6: ftp6, Refuse: map[string]refusal{"wmi:ExecQuery": {HResult: 0x80041003}}})
	if _, err := h.ListSites(ctx, resource.FTP); err == nil || !strings.Contains(err.Error(), "0x80041003") {
		t.Errorf("query refused: %v, want WBEM_E_ACCESS_DENIED named", err)
	}
	writeIIS(t, iisState{FTP6: ftp6, Refuse: map[string]refusal{"wmi:MSFTPSVC/1:Start": {HResult: 0x80041003}}})
	if err := h.StartSite(ctx, resource.FTP, site); err == nil || errors.Is(err, platform.ErrNoSite) {
		t.Errorf("Start refused: %v", err)
	}
	writeIIS(t, iisState{FTP6: ftp6})
	setService(t, "MSFTPSVC", svc.Stopped)
	defer setService(t, "MSFTPSVC", svc.Running)
	if err := h.StartSite(ctx, resource.FTP, site); err == nil {
		t.Error("Start with MSFTPSVC stopped: nil error")
	}
	if got := iisCalls(t); len(got) != 0 {
		t.Errorf("refused calls were carried out: %q", got)
	}
}
