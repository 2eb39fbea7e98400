package event

import (
	"slices"
	"sync"
	"testing"
)

// TestRecorderKeepsOrderAndCopies checks that events come back in the order emitted, that
// Events hands out a copy, and that concurrent emitters lose nothing (run with -race).
func TestRecorderKeepsOrderAndCopies(t *testing.T) {
	var r Recorder
	for _, id := range []ID{9400, 9401, 9402} {
		if err := r.Emit(Event{ID: id, Message: "m"}); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := r.IDs(), []ID{9400, 9401, 9402}; !slices.Equal(got, want) {
		t.Fatalf("IDs() = %v, want %v", got, want)
	}
	got := r.Events()
	got[0].ID = 1
	if r.Events()[0].ID != 9400 {
		t.Fatal("Events() shares its slice with the recorder")
	}

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				_ = r.Emit(Event{ID: 9403})
			}
		})
	}
	wg.Wait()
	if n := len(r.Events()); n != 3+800 {
		t.Fatalf("recorded %d events, want %d", n, 3+800)
	}
}
