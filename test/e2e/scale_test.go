package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// TestLabOfTenThousandSites (issue 8, item 5): a lab host whose status is larger than
// the lab client once read (4 MB) still answers every request, and quickcheck passes:
// answers are streamed, and a service's state is read without the whole status.
func TestLabOfTenThousandSites(t *testing.T) {
	t.Parallel()
	const n = 10000
	pad := strings.Repeat("long site name ", 30) // IIS allows long names; they make the listing large
	sites := make([]site, n)
	for i := range sites {
		sites[i] = site{name: fmt.Sprintf("%s%05d", pad, i+1), id: i + 1, bindings: fmt.Sprintf("http/IP:%d:", 10000+i)}
	}
	protected := sites[n-1].name
	sites[n-1].autoStart = true
	lab := startLab(t, sites...)

	status := lab.run("lab", "status", "--json")
	if status.code != 0 || len(status.stdout) <= 4<<20 {
		t.Fatalf("lab status --json: exit %d, %d bytes (want over 4 MiB): %s", status.code, len(status.stdout), status.stderr)
	}
	lab.run("quickcheck", "--tag", "iis-big", "--site", protected, "--type", "W3", "--json").expect(t, 0)
	lab.ctl("site", protected, "state", "Stopped")
	r := lab.run("quickcheck", "--tag", "iis-big", "--site", protected, "--type", "W3", "--json")
	r.expect(t, 1, 9704)
}
