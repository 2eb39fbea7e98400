package action

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/iiskit/iiskit/internal/clock"
	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/lab"
	"github.com/iiskit/iiskit/internal/lab/labtest"
	"github.com/iiskit/iiskit/internal/labhost"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
)

// benchEnv starts an in-process lab host with one web site on an address of its own and
// returns an environment whose events are rendered and written, as the command line does.
func benchEnv(b *testing.B) Env {
	b.Helper()
	cfg := labtest.WriteConfig(b, labtest.Site{Name: "Default Web Site", ID: 1, Bindings: []string{"http/" + labtest.IP(b) + ":8080:"}})
	srv := labtest.Start(b, lab.Options{ConfigFile: cfg, Hostname: "BENCH"})
	host, err := labhost.New(context.Background(), srv.URL())
	if err != nil {
		b.Fatal(err)
	}
	return Env{Host: host, Probe: probe.Net{}, Events: event.NewJSONSink(io.Discard), Clock: clock.Real{}}
}

func benchAction(b *testing.B, f actionFunc) {
	env := benchEnv(b)
	res := resource.Resource{Tag: "iis-www1", Site: "Default Web Site", Type: resource.W3}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if s := f(context.Background(), env, res).Status; s != Success {
			b.Fatal(fmt.Sprint("status ", s))
		}
	}
}

// BenchmarkQuickCheckLab is one quickcheck against the lab host: a service query and one
// site listing over its control API.
func BenchmarkQuickCheckLab(b *testing.B) { benchAction(b, QuickCheck) }

// BenchmarkDeepCheckLab adds D3's second site listing and an HTTP request to the site.
func BenchmarkDeepCheckLab(b *testing.B) { benchAction(b, DeepCheck) }
