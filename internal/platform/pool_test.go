package platform

import "testing"

// TestPoolStateNumbers: pool states carry Microsoft.Web.Administration's ObjectState
// numbers (0 Starting, 1 Started, 2 Stopping, 3 Stopped, 4 Unknown) and IIS's spelling.
func TestPoolStateNumbers(t *testing.T) {
	for n, name := range []string{"Starting", "Started", "Stopping", "Stopped", "Unknown"} {
		st, err := ParsePoolState(" " + name + " ")
		if err != nil || int(st) != n || st.String() != name {
			t.Errorf("%q: %d %q %v, want %d", name, st, st, err, n)
		}
	}
	if st, err := ParsePoolState("started"); err != nil || st != PoolStarted {
		t.Errorf("case-insensitive: %v %v", st, err)
	}
	if st, err := ParsePoolState("Running"); err == nil || st != PoolUnknown {
		t.Errorf("Running: %v %v, want Unknown and an error", st, err)
	}
	if s := PoolState(9).String(); s != "Unknown(9)" {
		t.Errorf("PoolState(9) = %q", s)
	}
}
