// Package labtest starts lab hosts for tests: it writes an applicationHost.config from a
// few site descriptions, gives each test loopback addresses of its own for the sites'
// bindings, and runs a lab host in the test's process or as `iiskit lab serve`, its
// control API always on port 0 with the real address read back.
//
// Sites listen on fixed ports of an address no other test uses, so no port is ever
// probed free and then lost to a race. Addresses are unique within a process and, being
// derived from the process id, across the test processes that run at the same time.
//
// Package lab's own tests cannot import this package (it imports lab); they keep a small
// copy of Start.
package labtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/lab"
	"github.com/iiskit/iiskit/internal/lab/labapi"
)

// Site is one <site> of an applicationHost.config.
type Site struct {
	Name string
	ID   int64
	// Bindings are protocol/IP:Port:HostHeader, e.g. "http/127.16.3.1:8080:".
	Bindings []string
	// Stopped writes serverAutoStart="false": the site does not start with its service.
	Stopped bool
	// Pool, when set, gives the site a root application in that application pool, which
	// the file declares (autoStart, so Started).
	Pool string
}

// ConfigXML returns an applicationHost.config holding sites, as IIS writes it: UTF-8 with
// a byte-order mark.
func ConfigXML(sites ...Site) []byte {
	var b strings.Builder
	b.WriteString("\ufeff<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration>\n  <system.applicationHost>\n")
	var pools []string
	for _, s := range sites {
		if s.Pool != "" && !slices.Contains(pools, s.Pool) {
			pools = append(pools, s.Pool)
		}
	}
	if len(pools) > 0 {
		b.WriteString("    <applicationPools>\n")
		for _, p := range pools {
			fmt.Fprintf(&b, "      <add name=\"%s\" autoStart=\"true\" />\n", xmlAttr(p))
		}
		b.WriteString("    </applicationPools>\n")
	}
	b.WriteString("    <sites>\n")
	for _, s := range sites {
		fmt.Fprintf(&b, "      <site name=\"%s\" id=\"%d\" serverAutoStart=\"%t\">\n", xmlAttr(s.Name), s.ID, !s.Stopped)
		if s.Pool != "" {
			fmt.Fprintf(&b, "        <application path=\"/\" applicationPool=\"%s\" />\n", xmlAttr(s.Pool))
		}
		b.WriteString("        <bindings>\n")
		for _, bd := range s.Bindings {
			proto, info, _ := strings.Cut(bd, "/")
			fmt.Fprintf(&b, "          <binding protocol=\"%s\" bindingInformation=\"%s\" />\n", xmlAttr(proto), xmlAttr(info))
		}
		b.WriteString("        </bindings>\n      </site>\n")
	}
	b.WriteString("    </sites>\n  </system.applicationHost>\n</configuration>\n")
	return []byte(b.String())
}

// xmlAttr escapes text for a double-quoted XML attribute.
func xmlAttr(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "\t", "&#x9;", "\n", "&#xA;", "\r", "&#xD;").Replace(s)
}

// WriteConfig writes ConfigXML(sites...) to a file in the test's temporary directory and
// returns its path.
func WriteConfig(t testing.TB, sites ...Site) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "applicationHost.config")
	if err := os.WriteFile(path, ConfigXML(sites...), 0o600); err != nil {
		t.Fatalf("writing %s: %v", path, err)
	}
	return path
}

var nextIP atomic.Uint32

// IP returns a loopback address no other call in this process returned, in a block of
// 127.0.0.0/8 chosen by the process id (127.16.0.0 and up, clear of the 127.0.x.x
// addresses tests name outright): the sites of one test bind fixed ports there.
func IP(t testing.TB) string {
	t.Helper()
	n := nextIP.Add(1)
	if n > 254 {
		t.Fatalf("labtest.IP: more than 254 addresses asked for in one process")
	}
	pid := os.Getpid()
	return fmt.Sprintf("127.%d.%d.%d", 16+(pid>>8)%240, pid&0xff, n)
}

// Start starts a lab host in this process and closes it when the test ends. An empty
// opts.Listen is 127.0.0.1:0 (the control API on a port the kernel picks; Server.URL has
// it) and an empty opts.Hostname is LABHOST.
func Start(t testing.TB, opts lab.Options) *lab.Server {
	t.Helper()
	if opts.Listen == "" {
		opts.Listen = "127.0.0.1:0"
	}
	if opts.Hostname == "" {
		opts.Hostname = "LABHOST"
	}
	srv, err := lab.Start(context.Background(), opts)
	if err != nil {
		t.Fatalf("starting a lab host: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("closing the lab host: %v", err)
		}
	})
	return srv
}

// Client returns a control API client of the lab host at url, closed when the test ends.
func Client(t testing.TB, url string) *labapi.Client {
	t.Helper()
	c, err := labapi.NewClient(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// serveReady bounds the wait for `iiskit lab serve` to report its address.
const serveReady = 20 * time.Second
