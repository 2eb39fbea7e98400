package labtest

import (
	"context"
	"net/netip"
	"testing"

	"github.com/iiskit/iiskit/internal/lab"
)

// TestConfigAndStart: a site name full of XML and shell metacharacters reaches the lab
// host intact, with its binding and its serverAutoStart.
func TestConfigAndStart(t *testing.T) {
	const name = "<a href=\"x\">&amp;\t'$(id)'\n</a>"
	ip := IP(t)
	cfg := WriteConfig(t,
		Site{Name: name, ID: 7, Bindings: []string{"http/" + ip + ":8080:www.test"}},
		Site{Name: "Idle", ID: 8, Bindings: []string{"ftp/" + ip + ":2121:"}, Stopped: true})
	srv := Start(t, lab.Options{ConfigFile: cfg})
	st, err := Client(t, srv.URL()).Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Hostname != "LABHOST" || len(st.Sites) != 2 {
		t.Fatalf("status %+v", st)
	}
	web, idle := st.Sites[0], st.Sites[1]
	if web.Name != name || web.ID != 7 || !web.AutoStart || web.State.String() != "Started" || web.Bindings[0] != "http/"+ip+":8080:www.test" {
		t.Errorf("web site %+v", web)
	}
	if idle.Name != "Idle" || idle.AutoStart || idle.State.String() != "Stopped" {
		t.Errorf("stopped site %+v", idle)
	}
}

func TestIPUnique(t *testing.T) {
	seen := map[string]bool{}
	for range 10 {
		ip := IP(t)
		a, err := netip.ParseAddr(ip)
		if err != nil || !a.IsLoopback() || a.As4()[1] < 16 || seen[ip] {
			t.Fatalf("IP() = %q (%v), seen before %v", ip, err, seen[ip])
		}
		seen[ip] = true
	}
}
