package lab

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/lab/labapi"
)

// manySitesConfig writes an applicationHost.config of n W3 sites on ip, ports 10000 and
// up, every one auto-starting.
func manySitesConfig(t testing.TB, ip string, n int) string {
	t.Helper()
	sites := make([]string, n)
	for i := range sites {
		sites[i] = siteXML(fmt.Sprintf("site %05d", i+1), fmt.Sprintf(`id="%d"`, i+1), [2]string{"http", fmt.Sprintf("%s:%d:", ip, 10000+i)})
	}
	return writeConfig(t, sites...)
}

// TestThousandSites: a lab host of 1,000 started sites (what the watch daemon protects)
// starts, lists them per type, and closes every listener.
func TestThousandSites(t *testing.T) {
	ip := testIP(t)
	cfg := manySitesConfig(t, ip, 1000)
	_, c := startLab(t, cfg, 0)
	sites, err := c.Sites(context.Background(), "W3")
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) != 1000 || sites[999].ID != 1000 || sites[999].State.String() != "Started" {
		t.Fatalf("listing of 1,000 sites: %d sites, last %+v", len(sites), sites[len(sites)-1])
	}
	if !dialable(addr(ip, 10999)) {
		t.Fatal("the last of 1,000 sites does not listen")
	}
}

// BenchmarkStartThousandSites is the time for a lab host of 1,000 auto-starting sites to
// start (1,000 listeners) and close.
func BenchmarkStartThousandSites(b *testing.B) {
	cfg := manySitesConfig(b, testIP(b), 1000)
	for b.Loop() {
		srv, err := Start(context.Background(), Options{Listen: "127.0.0.1:0", ConfigFile: cfg, Hostname: "BENCH"})
		if err != nil {
			b.Fatal(err)
		}
		if w := srv.Warnings(); len(w) != 0 {
			b.Fatalf("sites did not start: %v", w[0])
		}
		if err := srv.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListThousandSites is one GET /v1/sites?type=W3 of a lab host of 1,000 sites,
// through the client, decoding included: what the watch daemon's checks ask for.
func BenchmarkListThousandSites(b *testing.B) {
	cfg := manySitesConfig(b, testIP(b), 1000)
	srv, err := Start(context.Background(), Options{Listen: "127.0.0.1:0", ConfigFile: cfg, Hostname: "BENCH"})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	c, err := labapi.NewClient(srv.URL())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	c = c.WithTimeout(30 * time.Second)
	b.ReportAllocs()
	for b.Loop() {
		sites, err := c.Sites(context.Background(), "W3")
		if err != nil || len(sites) != 1000 {
			b.Fatalf("%d sites, %v", len(sites), err)
		}
	}
}

// BenchmarkServeThousandSitesListing is the lab host's side of the same request: the
// answer read as bytes, not decoded.
func BenchmarkServeThousandSitesListing(b *testing.B) {
	cfg := manySitesConfig(b, testIP(b), 1000)
	srv, err := Start(context.Background(), Options{Listen: "127.0.0.1:0", ConfigFile: cfg, Hostname: "BENCH"})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{Proxy: nil}}
	defer hc.CloseIdleConnections()
	var n int64
	for b.Loop() {
		resp, err := hc.Get(srv.URL() + labapi.PathSites + "?type=W3")
		if err != nil {
			b.Fatal(err)
		}
		n, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d, %v", resp.StatusCode, err)
		}
	}
	b.ReportMetric(float64(n), "bytes/answer")
}
