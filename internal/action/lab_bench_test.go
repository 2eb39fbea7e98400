package action

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/iiskit/iiskit/internal/clock"
	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/lab"
	"github.com/iiskit/iiskit/internal/platform/labhost"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
)

// benchEnv starts an in-process lab host with one web site on 127.0.2.1 and returns an
// environment whose events are rendered and written, as the command line does.
func benchEnv(b *testing.B) Env {
	b.Helper()
	cfg := filepath.Join(b.TempDir(), "applicationHost.config")
	const xml = `<configuration><system.applicationHost><sites>
<site name="Default Web Site" id="1"><bindings><binding protocol="http" bindingInformation="127.0.2.1:8080:" /></bindings></site>
</sites></system.applicationHost></configuration>`
	if err := os.WriteFile(cfg, []byte(xml), 0o600); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	srv, err := lab.Start(ctx, lab.Options{Listen: "127.0.0.1:0", ConfigFile: cfg, Hostname: "BENCH"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	host, err := labhost.New(ctx, srv.URL())
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
		if s := f(context.Background(), env, res); s != Success {
			b.Fatal(fmt.Sprint("status ", s))
		}
	}
}

// BenchmarkQuickCheckLab is one quickcheck against the lab host: a service query and one
// site listing over its control API.
func BenchmarkQuickCheckLab(b *testing.B) { benchAction(b, QuickCheck) }

// BenchmarkDeepCheckLab adds D3's second site listing and an HTTP request to the site.
func BenchmarkDeepCheckLab(b *testing.B) { benchAction(b, DeepCheck) }
