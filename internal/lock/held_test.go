package lock

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"
)

// acquireWithin takes tag's lock with a fresh Acquire (another action's lock), or says
// it stayed busy for d.
func acquireWithin(t *testing.T, dir, tag string, d time.Duration) (func(), error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return Acquire(ctx, dir, tag)
}

func TestHeldExcludesAcquireAndItsOwnUsers(t *testing.T) {
	dir := t.TempDir()
	h := NewHeld(dir, "iis-www1")
	release, err := h.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acquireWithin(t, dir, "IIS-WWW1", 100*time.Millisecond); !errors.Is(err, ErrBusy) {
		t.Fatalf("Acquire while held = %v, want ErrBusy", err)
	}
	// A second user of the same Held waits too: flock alone would let it in.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := h.Acquire(ctx); !errors.Is(err, ErrBusy) {
		t.Fatalf("second Held.Acquire = %v, want ErrBusy", err)
	}
	release()
	// Released (the file stays open): another action takes it, and the Held waits.
	other, err := acquireWithin(t, dir, "iis-www1", 5*time.Second)
	if err != nil {
		t.Fatalf("Acquire after release = %v", err)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel2()
	if _, err := h.Acquire(ctx2); !errors.Is(err, ErrBusy) {
		t.Fatalf("Held.Acquire while another action holds it = %v, want ErrBusy", err)
	}
	other()
	again, err := h.Acquire(context.Background())
	if err != nil {
		t.Fatalf("Held.Acquire after the other action = %v", err)
	}
	again()
	h.Close()
}

// TestHeldFollowsAReplacedLockFile: a lock file removed while the Held keeps it open is
// not trusted; the Held locks the file the path names now, which other actions lock.
func TestHeldFollowsAReplacedLockFile(t *testing.T) {
	dir := t.TempDir()
	h := NewHeld(dir, "iis-www1")
	release, err := h.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	release()
	if err := os.Remove(Path(dir, "iis-www1")); err != nil {
		t.Fatal(err)
	}
	// Another action creates the file anew and holds it: the Held must wait for it.
	other, err := acquireWithin(t, dir, "iis-www1", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := h.Acquire(ctx); !errors.Is(err, ErrBusy) {
		t.Fatalf("Held.Acquire on a replaced lock file held by another action = %v, want ErrBusy", err)
	}
	other()
	release, err = h.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acquireWithin(t, dir, "iis-www1", 100*time.Millisecond); !errors.Is(err, ErrBusy) {
		t.Fatalf("Acquire while the Held holds the new file = %v, want ErrBusy", err)
	}
	release()
	h.Close()
}

// openFDs counts this process's open descriptors, or skips where /proc cannot tell.
func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd here")
	}
	return len(ents)
}

// TestKeeperForgetClosesLockFiles: the lock files of tags the daemon forgets (a reload
// dropped them) are closed, so reloads that swap tags do not run out of descriptors.
func TestKeeperForgetClosesLockFiles(t *testing.T) {
	dir := t.TempDir()
	k := NewKeeper(dir)
	before := openFDs(t)
	const n = 200
	for i := range n {
		release, err := k.Lock(context.Background(), fmt.Sprintf("tag-%d", i))
		if err != nil {
			t.Fatal(err)
		}
		release()
	}
	if got := openFDs(t) - before; got != n {
		t.Fatalf("%d lock files open after locking %d tags, want %d (kept open)", got, n, n)
	}
	for i := range n {
		k.Forget(fmt.Sprintf("TAG-%d", i)) // tags are case-insensitive
	}
	if got := openFDs(t) - before; got != 0 {
		t.Errorf("%d lock files still open after forgetting every tag, want 0", got)
	}
}

// TestHeldCloseWhileHeld: Close does not wait for the holder; the holder's release closes
// the file.
func TestHeldCloseWhileHeld(t *testing.T) {
	dir := t.TempDir()
	h := NewHeld(dir, "iis-www1")
	release, ok, err := h.TryAcquire()
	if err != nil || !ok {
		t.Fatalf("TryAcquire = %v, %v", ok, err)
	}
	if _, ok, _ := h.TryAcquire(); ok {
		t.Fatal("a second TryAcquire of a held lock succeeded")
	}
	h.Close() // must not block
	if !h.isOpen() {
		t.Fatal("Close closed a lock file still held")
	}
	release()
	if h.isOpen() {
		t.Error("the lock file stayed open after Close and release")
	}
	other, err := acquireWithin(t, dir, "iis-www1", time.Second)
	if err != nil {
		t.Fatalf("another action cannot take the lock after release: %v", err)
	}
	defer other()
	if _, ok, _ := h.TryAcquire(); ok {
		t.Error("TryAcquire succeeded while another action holds the lock")
	}
}
