package labapi

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// TestWireShape: the JSON CLI.md promises for `lab status --json`, whole, and back.
func TestWireShape(t *testing.T) {
	st := Status{Hostname: "NODE1",
		Services: []Service{{Name: "W3SVC", Type: "W3", State: platform.StartPending, OnStart: "ok", Pending: 1500 * time.Millisecond}},
		Sites: []Site{
			{Name: "Web", ID: 1, Types: []string{"W3"}, State: platform.SiteStopping, AutoStart: true, Bindings: []string{"http/127.0.0.2:80:"}, OnStart: "ok", OnStop: "ok", Respond: "ok", Pools: []string{"WebPool", "DefaultAppPool"}},
			{Name: "Both", ID: 2, Types: []string{"W3", "FTP"}, State: platform.SiteStarted, AutoStart: true, Bindings: []string{"http/127.0.0.2:81:", "ftp/127.0.0.2:21:"},
				States: map[resource.Type]platform.SiteState{resource.W3: platform.SiteStarted, resource.FTP: platform.SiteUnknown}, OnStart: "ok", OnStop: "ignore", Respond: "hang", LastError: "x", Pools: []string{}},
		},
		Pools: []Pool{{Name: "WebPool", State: platform.PoolStopped, AutoStart: true, OnStart: "ignore", RapidFail: true, MaxCrashes: 5,
			Interval: 5 * time.Minute, Failures: 5, Sites: []string{"Web"}}},
	}
	const want = `{"hostname":"NODE1","services":[{"name":"W3SVC","type":"W3","state":"StartPending","onStart":"ok","pending":"1.5s"}],` +
		`"sites":[{"name":"Web","id":1,"types":["W3"],"state":"Stopping","autoStart":true,"bindings":["http/127.0.0.2:80:"],"onStart":"ok","onStop":"ok","respond":"ok","pools":["WebPool","DefaultAppPool"]},` +
		`{"name":"Both","id":2,"types":["W3","FTP"],"state":"Started","states":{"FTP":"Unknown","W3":"Started"},"autoStart":true,"bindings":["http/127.0.0.2:81:","ftp/127.0.0.2:21:"],"onStart":"ok","onStop":"ignore","respond":"hang","lastError":"x","pools":[]}],` +
		`"pools":[{"name":"WebPool","state":"Stopped","autoStart":true,"onStart":"ignore","rapidFailProtection":true,"rapidFailProtectionMaxCrashes":5,"rapidFailProtectionInterval":"5m0s","failures":5,"sites":["Web"]}]}`
	for name, v := range map[string]any{"Status": st, "StatusJSON": StatusJSON(st)} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != want {
			t.Errorf("%s:\n got %s\nwant %s", name, b, want)
		}
	}
	var back Status
	if err := json.Unmarshal([]byte(want), &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, st) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, st)
	}
	for _, bad := range []string{`{"name":"W3SVC","state":"Sleeping"}`, `{"name":"W3SVC","state":"Running","pending":"soon"}`} {
		var s Service
		if err := json.Unmarshal([]byte(bad), &s); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	for _, bad := range []string{`{"name":"Web","state":"Paused"}`, `{"name":"Web","state":"Started","states":{"GOPHER":"Started"}}`} {
		var s Site
		if err := json.Unmarshal([]byte(bad), &s); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestServiceStateWords(t *testing.T) {
	for st := platform.Stopped; st <= platform.Paused; st++ {
		for _, text := range []string{ServiceStateWord(st), st.String(), string(rune('0' + st)), " " + ServiceStateWord(st) + " "} {
			if got, err := ParseServiceState(text); err != nil || got != st {
				t.Errorf("ParseServiceState(%q) = %v, %v; want %v", text, got, err, st)
			}
		}
	}
	if got := ServiceStateWord(0); got != "State0" {
		t.Errorf("ServiceStateWord(0) = %q", got)
	}
	if _, err := ParseServiceState("8"); err == nil {
		t.Error("ParseServiceState(8): no error")
	}
}
