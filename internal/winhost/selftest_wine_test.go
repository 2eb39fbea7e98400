//go:build windows

package winhost

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"

	"golang.org/x/sys/windows/svc"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// TestSelftestLeavesNothing: the throwaway site and pool are created through the
// WritableAdminManager (CreateNewElement, AddElement, CommitChanges), start and stop by
// their methods, and DeleteSelftest removes exactly them: the configuration is then as
// it was, other sites' records untouched.
func TestSelftestLeavesNothing(t *testing.T) {
	needWine(t)
	setService(t, "W3SVC", svc.Running)
	before := iisState{
		Sites:            []stSite{{Name: "Default Web Site", ID: 1, State: "Started", Bindings: []stBinding{web("*:80:")}}},
		ApplicationPools: []stPool{{Name: "DefaultAppPool", State: "Started"}},
	}
	writeIIS(t, before)
	h, _, _ := newHost(t, Options{})
	ctx := context.Background()
	st := Selftest{Site: SelftestPrefix + "a", Pool: SelftestPrefix + "a", Binding: "127.0.0.1:8123:", Folder: `C:\iiskit\www`}
	if err := h.CreateSelftest(ctx, st); err != nil {
		t.Fatal(err)
	}
	sites, err := h.ListSites(ctx, resource.W3)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := platform.FindSite(sites, st.Site)
	if !ok || s.ID != 2 || s.State != platform.SiteStopped || len(s.Bindings) != 1 || s.Bindings[0].Port != 8123 {
		t.Fatalf("the self-test site as listed: %+v %v", s, ok)
	}
	if err := h.StartSite(ctx, resource.W3, s); err != nil {
		t.Fatal(err)
	}
	got := readIIS(t)
	if len(got.ApplicationPools) != 2 || got.ApplicationPools[1].Name != st.Pool || len(got.Sites[1].Applications) != 1 || got.Sites[1].Applications[0].ApplicationPool != st.Pool {
		t.Errorf("after CreateSelftest: %+v", got)
	}
	gone, err := h.DeleteSelftest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(gone, []string{st.Site, st.Pool}) {
		t.Errorf("deleted %q", gone)
	}
	if after := readIIS(t); !reflect.DeepEqual(after, before) {
		t.Errorf("the configuration changed:\n%+v\nwant\n%+v", after, before)
	}
	if gone, err := h.DeleteSelftest(ctx); err != nil || len(gone) != 0 {
		t.Errorf("a second delete: %q %v, want nothing", gone, err)
	}
	if err := h.CreateSelftest(ctx, Selftest{Site: "Default Web Site", Pool: SelftestPrefix + "b"}); !errors.Is(err, errSelftestName) {
		t.Errorf("a name without the prefix: %v", err)
	}
}

// TestSelftestRefusals: a commit or a section IIS refuses fails the step with the
// refusal (access denied as a prerequisite), and nothing is written.
func TestSelftestRefusals(t *testing.T) {
	needWine(t)
	setService(t, "W3SVC", svc.Running)
	ctx := context.Background()
	st := Selftest{Site: SelftestPrefix + "r", Pool: SelftestPrefix + "r", Binding: "127.0.0.1:8124:", Folder: `C:\iiskit\www`}
	base := iisState{
		Sites:            []stSite{{Name: "Default Web Site", ID: 1, State: "Started", Bindings: []stBinding{web("*:80:")}}, {Name: SelftestPrefix + "old", ID: 7, Bindings: []stBinding{web("127.0.0.1:9:")}}},
		ApplicationPools: []stPool{{Name: "DefaultAppPool", State: "Started"}},
	}
	h, _, _ := newHost(t, Options{})
	for _, key := range []string{"CommitChanges", "GetAdminSection"} {
		base.Refuse = map[string]refusal{key: {HResult: hrAccessDenied}}
		writeIIS(t, base)
		if err := h.CreateSelftest(ctx, st); !errors.Is(err, platform.ErrPrerequisite) {
			t.Errorf("create, %s denied: %v", key, err)
		}
		if _, err := h.DeleteSelftest(ctx); !errors.Is(err, platform.ErrPrerequisite) {
			t.Errorf("delete, %s denied: %v", key, err)
		}
		if got := readIIS(t); !reflect.DeepEqual(got, base) {
			t.Errorf("%s denied, yet the file changed: %+v", key, got)
		}
	}
	// An earlier run's leftover is found by its prefix and removed.
	base.Refuse = nil
	writeIIS(t, base)
	if gone, err := h.DeleteSelftest(ctx); err != nil || !slices.Equal(gone, []string{SelftestPrefix + "old"}) {
		t.Errorf("leftover: %q %v", gone, err)
	}
}

// TestReadingsAndFacts: doctor's readings are the API's (never falling back), appcmd's
// and WMI's, each on its own.
func TestReadingsAndFacts(t *testing.T) {
	needWine(t)
	setService(t, "W3SVC", svc.Running)
	writeIIS(t, iisState{Sites: []stSite{{Name: "Default Web Site", ID: 1, State: "Started", Bindings: []stBinding{web("*:80:")}}}})
	writeSites(t, []standInSite{{Name: "Default Web Site", ID: 1, State: "Stopped"}})
	v := Version{10, 0, 20348}
	h, _, run := newHost(t, Options{Version: &v})
	var names []string
	for _, r := range h.Readings() {
		names = append(names, r.Name)
		for _, typ := range r.Types {
			if r.Name == "WMI (IIS 6)" {
				continue
			}
			sites, err := r.List(context.Background(), typ)
			if err != nil {
				t.Errorf("%s %v: %v", r.Name, typ, err)
			}
			if typ == resource.W3 && stateOf(t, sites, "Default Web Site") != map[string]platform.SiteState{"configuration API": platform.SiteStarted, "appcmd": platform.SiteStopped}[r.Name] {
				t.Errorf("%s read %v", r.Name, sites)
			}
		}
	}
	if !slices.Equal(names, []string{"configuration API", "appcmd", "WMI (IIS 6)"}) {
		t.Errorf("readings %q", names)
	}
	if run.count() != 1 {
		t.Errorf("%d appcmd processes, want the appcmd reading's 1", run.count())
	}
	facts := map[string]string{}
	for _, f := range h.Facts() {
		facts[f.Name] = f.Value
	}
	if facts["os"] != "Windows 10.0.20348" || facts["elevated"] != "true" {
		t.Errorf("facts %v", facts)
	}
	// The API reading does not fall back to appcmd.
	h, _, _ = newHost(t, Options{ProgIDs: ProgIDs{AdminManager: "IISKit.Test.NoSuchProgID"}})
	if _, err := h.Readings()[0].List(context.Background(), resource.W3); !errors.Is(err, errNoAPI) {
		t.Errorf("API reading without the API: %v", err)
	}
}
