package resource

import "testing"

// TestProbeHost: the name the probe sends for each host header shape IIS 10 writes. The
// wildcard shapes (*:443:*.example.com, *:80:*.local) and the bare *:8080:* are those of
// Microsoft's "Wildcard Host Header Support"
// (learn.microsoft.com/iis/get-started/whats-new-in-iis-10/wildcard-host-header-support:
// intranet.contoso.com and blogs.contoso.com are hosts of *.contoso.com) and of public
// applicationHost.config files.
func TestProbeHost(t *testing.T) {
	tests := []struct {
		binding, label, want string
	}{
		{"https/*:443:*.example.com", "", "iiskit-probe.example.com"},
		{"http/*:80:*.local", "", "iiskit-probe.local"},
		{"https/*:443:*.example.com", "health", "health.example.com"},
		{"https/*:443:*.example.com", "a.b", "a.b.example.com"},
		{"http/*:8080:*", "", ""},
		{"http/*:8080:*", "health", ""},
		{"http/*:80:", "health", ""},
		{"http/192.168.1.10:80:www.example.com", "health", "www.example.com"},
	}
	for _, tc := range tests {
		t.Run(tc.binding+"/"+tc.label, func(t *testing.T) {
			b, err := ParseBinding(tc.binding)
			if err != nil {
				t.Fatal(err)
			}
			if got := b.ProbeHost(tc.label); got != tc.want {
				t.Errorf("ProbeHost(%q) = %q, want %q", tc.label, got, tc.want)
			}
		})
	}
}

// TestMatchesHost is IIS 10's routing of a request's host name to one binding: exact
// (case-insensitive), wildcard for one or more labels (not the bare domain, not a
// literal "*"), any host for an empty or bare "*" host header.
func TestMatchesHost(t *testing.T) {
	tests := []struct {
		binding, host string
		want          HostMatch
	}{
		{"http/*:80:www.example.com", "www.example.com", ExactHostMatch},
		{"http/*:80:www.example.com", "WWW.Example.COM", ExactHostMatch},
		{"http/*:80:www.example.com", "example.com", NoHostMatch},
		{"https/*:443:*.example.com", "www.example.com", WildcardHostMatch},
		{"https/*:443:*.example.com", "a.b.example.com", WildcardHostMatch},
		{"https/*:443:*.example.com", "WWW.EXAMPLE.COM", WildcardHostMatch},
		{"https/*:443:*.example.com", "example.com", NoHostMatch},
		{"https/*:443:*.example.com", "*.example.com", NoHostMatch},
		{"https/*:443:*.example.com", "wwwexample.com", NoHostMatch},
		{"https/*:443:*.example.com", ".example.com", NoHostMatch},
		{"https/*:443:*.example.com", "www.example.org", NoHostMatch},
		{"http/*:8080:*", "anything.test", AnyHostMatch},
		{"http/*:8080:", "", AnyHostMatch},
	}
	for _, tc := range tests {
		t.Run(tc.binding+"/"+tc.host, func(t *testing.T) {
			b, err := ParseBinding(tc.binding)
			if err != nil {
				t.Fatal(err)
			}
			if got := b.MatchesHost(tc.host); got != tc.want {
				t.Errorf("MatchesHost(%q) = %d, want %d", tc.host, got, tc.want)
			}
		})
	}
}
