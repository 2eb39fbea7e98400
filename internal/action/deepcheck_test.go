package action

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/iiskit/iiskit/internal/event"
	p "github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
)

func TestDeepCheck(t *testing.T) {
	const name = "Default Web Site"
	up := func(bs ...resource.Binding) [][]p.Site {
		return [][]p.Site{listing(site(name, 1, p.SiteStarted, bs...))}
	}
	running := []p.ServiceState{p.Running}
	ftpRes := resource.Resource{Tag: "iis-ftp1", Site: name, Type: resource.FTP,
		FTP: resource.Credentials{User: "probe", Password: "s3cret"}}
	smtpRes := resource.Resource{Tag: "iis-smtp1", Site: name, Type: resource.SMTP}
	via := w3(name)
	via.Options.ProbeUnassignedVia = netip.MustParseAddr("127.0.0.1")

	tests := []struct {
		name    string
		res     resource.Resource
		host    *fakeHost
		http    []probe.Result
		ftp     []probe.Result
		want    []string
		status  Status
		targets []string
	}{
		{"D1 quickcheck fails → its event only", w3(name),
			&fakeHost{states: []p.ServiceState{p.Stopped}, listings: up(bHTTP)}, nil, nil,
			[]string{www(9705, 1)}, Failure, nil},
		{"D3 site gone after Q2 → 9765", w3(name),
			&fakeHost{states: running, listings: [][]p.Site{listing(site(name, 1, p.SiteStarted, bHTTP)), listing()}}, nil, nil,
			[]string{www(9765)}, Failure, nil},
		{"D3 listing fails → 9765", w3(name),
			&fakeHost{states: running, listings: [][]p.Site{listing(site(name, 1, p.SiteStarted, bHTTP)), nil}}, nil, nil,
			[]string{www(9765)}, Failure, nil},
		{"D4 SMTP succeeds without a probe", smtpRes,
			&fakeHost{states: running, listings: up(mustBinding("smtp/127.0.0.2:25:"))}, nil, nil,
			nil, Success, nil},
		{"D4 site no longer Started at D3 → success without a probe", w3(name),
			&fakeHost{states: running, listings: [][]p.Site{listing(site(name, 1, p.SiteStarted, bHTTP)), listing(site(name, 1, p.SiteStopped, bHTTP))}}, nil, nil,
			nil, Success, nil},
		{"D4.3 no binding with an IP → 9773 warning, success", w3(name),
			&fakeHost{states: running, listings: up(bStar)}, nil, nil,
			[]string{www(9773)}, Success, nil},
		{"D4.3 no binding of the service's protocols → 9773", w3(name),
			&fakeHost{states: running, listings: up(mustBinding("ftp/127.0.0.2:21:"))}, nil, nil,
			[]string{www(9773)}, Success, nil},
		{"D4.2 [ext] https bindings are probed over TLS with their host header", w3(name),
			&fakeHost{states: running, listings: up(mustBinding("https/127.0.0.2:443:secure.example"))}, nil, nil,
			nil, Success, []string{"http 127.0.0.2:443 host=secure.example tls=true verify=false"}},
		{"D4.2 [ext] a failing https binding gives its pollsite event", w3(name),
			&fakeHost{states: running, listings: up(bHTTP, mustBinding("https/127.0.0.2:443:"))},
			[]probe.Result{{Code: probe.OK}, {Code: probe.HTTPNoAnswer}}, nil,
			[]string{www(9759)}, Failure, nil},
		{"D4.3 [ext] probe_unassigned_via probes that address", via,
			&fakeHost{states: running, listings: up(bStar)}, nil, nil,
			nil, Success, []string{"http 127.0.0.1:80 host= tls=false verify=false"}},
		{"D4.2 [ext] every binding with an IP is probed", w3(name),
			&fakeHost{states: running, listings: up(bHTTP, bStar, bHTTP2)}, nil, nil,
			nil, Success, []string{"http 127.0.0.2:80 host= tls=false verify=false", "http 127.0.0.3:8080 host=www.example.com tls=false verify=false"}},
		{"D4.2 [ext] the first failing binding fails the check", w3(name),
			&fakeHost{states: running, listings: up(bHTTP, bHTTP2, mustBinding("http/127.0.0.4:80:"))},
			[]probe.Result{{Code: probe.OK}, {Code: probe.HTTPNoConnect}}, nil,
			[]string{www(9757)}, Failure, []string{"http 127.0.0.2:80 host= tls=false verify=false", "http 127.0.0.3:8080 host=www.example.com tls=false verify=false"}},
		{"D4.4 FTP login with 230 succeeds", ftpRes,
			&fakeHost{states: running, listings: up(bFTP)}, nil, nil,
			nil, Success, []string{"ftp 127.0.0.2:21 user=probe tls=off"}},
		{"D4.4 FTP login refused → 9760", ftpRes,
			&fakeHost{states: running, listings: up(bFTP)}, nil,
			[]probe.Result{{Code: probe.FTPNoAnswer, Replies: "220 ready\r\n530 Login incorrect.\r\n"}},
			[]string{ftpFx.Line(9760, "220 ready\r\n530 Login incorrect.\r\n")}, Failure, nil},
		{"D4 [ext] a site Starting passes Q3; D4 succeeds without a probe", w3(name),
			&fakeHost{states: running, listings: [][]p.Site{listing(site(name, 1, p.SiteStarting, bHTTP))}}, nil, nil,
			nil, Success, []string{}},
		{"D4 a site Unknown passes Q3; D4 succeeds without a probe", w3(name),
			&fakeHost{states: running, listings: [][]p.Site{listing(site(name, 1, p.SiteUnknown, bHTTP))}}, nil, nil,
			nil, Success, []string{}},
		{"D4.3 FTP: no ftp binding with an IP → 9773 warning, success", ftpRes,
			&fakeHost{states: running, listings: up(mustBinding("ftp/*:21:"))}, nil, nil,
			[]string{ftpFx.Line(9773)}, Success, []string{}},
		{"D4.4 FTP login with no answer at all → 9760 with an empty response", ftpRes,
			&fakeHost{states: running, listings: up(bFTP)}, nil,
			[]probe.Result{{Code: probe.FTPNoAnswer, Replies: ""}},
			[]string{ftpFx.Line(9760, "")}, Failure, nil},
		{"D4.5 result 7 fails without an event", w3(name),
			&fakeHost{states: running, listings: up(bHTTP)}, []probe.Result{{Code: 7}}, nil,
			nil, Failure, nil},
	}
	for code := probe.BadArgs; code <= probe.HTTPNoAnswer; code++ {
		tests = append(tests, struct {
			name    string
			res     resource.Resource
			host    *fakeHost
			http    []probe.Result
			ftp     []probe.Result
			want    []string
			status  Status
			targets []string
		}{fmt.Sprintf("D4.5 pollsite result %d → %d", code, 9753+int(code)), w3(name),
			&fakeHost{states: running, listings: up(bHTTP)}, []probe.Result{{Code: code}}, nil,
			[]string{www(event.ID(9753 + int(code)))}, Failure, nil})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hs := newHarness(tc.host)
			hs.prober.http, hs.prober.ftp = tc.http, tc.ftp
			if got := hs.run(t, DeepCheck, tc.res); got != tc.status {
				t.Errorf("status = %v, want %v", got, tc.status)
			}
			checkEvents(t, hs.rec, tc.want...)
			if tc.targets != nil && fmt.Sprint(hs.prober.targets) != fmt.Sprint(tc.targets) || len(tc.targets) == 0 && tc.targets != nil && len(hs.prober.targets) != 0 {
				t.Errorf("probed %q, want %q", hs.prober.targets, tc.targets)
			}
		})
	}
}

// TestDeepCheckListsAgainAtD3: D3 is a new listing, and D4 probes the bindings that
// listing shows, not those Q2 saw.
func TestDeepCheckListsAgainAtD3(t *testing.T) {
	host := &fakeHost{states: []p.ServiceState{p.Running}, listings: [][]p.Site{
		listing(site(dws, 1, p.SiteStarted, bHTTP)),
		listing(site(dws, 1, p.SiteStarted, bHTTP2)),
	}}
	hs := newHarness(host)
	if got := hs.run(t, DeepCheck, w3(dws)); got != Success {
		t.Errorf("status = %v, want success", got)
	}
	checkEvents(t, hs.rec)
	if n := host.count("ListSites"); n != 2 {
		t.Errorf("%d listings, want 2 (Q2 and Q3 share one; D3 lists again)", n)
	}
	if want := []string{"http 127.0.0.3:8080 host=www.example.com tls=false verify=false"}; fmt.Sprint(hs.prober.targets) != fmt.Sprint(want) {
		t.Errorf("probed %q, want %q (the D3 listing's binding)", hs.prober.targets, want)
	}
}

func TestDeepCheckFTPEventCarriesRepliesNotPassword(t *testing.T) {
	hs := newHarness(&fakeHost{states: []p.ServiceState{p.Running},
		listings: [][]p.Site{listing(site("ftp site", 2, p.SiteStarted, bFTP))}})
	hs.prober.ftp = []probe.Result{{Code: probe.FTPNoAnswer, Replies: "220 ready\r\n530 Login incorrect.\r\n"}}
	res := resource.Resource{Tag: "iis-ftp1", Site: "ftp site", Type: resource.FTP,
		FTP: resource.Credentials{User: "probe", Password: "s3cret"}}
	hs.run(t, DeepCheck, res)
	evs := hs.rec.Events()
	if len(evs) != 1 {
		t.Fatalf("events = %v", evs)
	}
	want := `The FTP site "ftp site" failed to respond successfully to the user supplied query. A successful FTP login response must include a 230 response line that starts with "230 ". The actual FTP response was as follows: 220 ready` + "\r\n530 Login incorrect.\r\n"
	if evs[0].Message != want {
		t.Errorf("message\n got %q\nwant %q", evs[0].Message, want)
	}
	if strings.Contains(fmt.Sprintf("%+v", evs), "s3cret") {
		t.Error("the password reached an event")
	}
}

func TestDeepCheckSiteTypeText(t *testing.T) {
	hs := newHarness(&fakeHost{states: []p.ServiceState{p.Running},
		listings: [][]p.Site{listing(site("Default Web Site", 1, p.SiteStarted, bHTTP))}})
	hs.prober.http = []probe.Result{{Code: probe.HTTPNoAnswer}}
	hs.run(t, DeepCheck, w3("Default Web Site"))
	if evs := hs.rec.Events(); len(evs) != 1 || evs[0].Message != "The W3 site failed to respond to the http request." {
		t.Errorf("events = %+v", evs)
	}
}
