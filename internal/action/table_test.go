package action

import "testing"

// TestLookup: every entry point finds the actions and their default deadlines (SPEC
// Timing) here.
func TestLookup(t *testing.T) {
	for name, want := range map[string]string{"quickcheck": "30s", "deepcheck": "30s", "restore": "2m0s", "remove": "2m0s", "recover": "2m0s"} {
		a, ok := Lookup(name)
		if !ok || a.Run == nil || a.DefaultTimeout.String() != want {
			t.Errorf("Lookup(%s) = %+v, %v; want a deadline of %s", name, a, ok, want)
		}
	}
	if _, ok := Lookup("restart"); ok {
		t.Error("Lookup(restart) found an action")
	}
}
