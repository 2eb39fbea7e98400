package appcmd

import (
	"reflect"
	"testing"

	"github.com/iiskit/iiskit/internal/iisconfig"
	"github.com/iiskit/iiskit/internal/platform"
)

// TestSplitBindingsContinuation: only a protocol prefix ("http/", "net.tcp/") starts a
// binding; a piece without one, or whose text before "/" holds ':', '[' or '*' (an
// address, not a protocol), belongs to the binding before it. The listing shape is
// appcmd's text form, "bindings:http/*:80:,net.tcp/808:*" (Microsoft Learn, "Getting
// Started with AppCmd.exe").
func TestSplitBindingsContinuation(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []iisconfig.RawBinding
	}{
		{"", []iisconfig.RawBinding{}},
		{"HTTP/*:80:, net.tcp/808:*", []iisconfig.RawBinding{{Protocol: "http", Information: "*:80:"}, {Protocol: "net.tcp", Information: "808:*"}}},
		// A comma inside a binding's information: the piece after it has no protocol.
		{"http/*:80:a,b", []iisconfig.RawBinding{{Protocol: "http", Information: "*:80:a,b"}}},
		// A '/' after an address is not a protocol's.
		{"http/*:80:,[::1]:81:x/y", []iisconfig.RawBinding{{Protocol: "http", Information: "*:80:,[::1]:81:x/y"}}},
		// No protocol at all before the first comma: kept as information, so the binding
		// fails its protocol check later instead of vanishing.
		{"*:80:,ftp/*:21:", []iisconfig.RawBinding{{Information: "*:80:"}, {Protocol: "ftp", Information: "*:21:"}}},
	} {
		if got := splitBindings(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("splitBindings(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestParseStateUnknownWord: appcmd prints states IIS invents; a word iiskit does not
// know is Unknown, never an error, and the four RSCA words read as themselves.
func TestParseStateUnknownWord(t *testing.T) {
	for in, want := range map[string]platform.SiteState{
		"Started": platform.SiteStarted, "Stopped": platform.SiteStopped, "Starting": platform.SiteStarting,
		"Stopping": platform.SiteStopping, "Unknown": platform.SiteUnknown, "Paused": platform.SiteUnknown, "": platform.SiteUnknown,
	} {
		if got := parseState(in); got != want {
			t.Errorf("parseState(%q) = %v, want %v", in, got, want)
		}
	}
}
