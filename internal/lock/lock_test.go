package lock

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestAcquireExcludesSameTag(t *testing.T) {
	dir := t.TempDir()
	release, err := Acquire(context.Background(), dir, "iis-www1")
	if err != nil {
		t.Fatal(err)
	}
	// Same tag in another letter case: same lock, so the second waiter times out.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := Acquire(ctx, dir, "IIS-WWW1"); !errors.Is(err, ErrBusy) {
		t.Fatalf("second Acquire = %v, want ErrBusy", err)
	}
	// Another tag is independent.
	other, err := Acquire(context.Background(), dir, "iis-ftp1")
	if err != nil {
		t.Fatal(err)
	}
	other()
	// Once released, a waiter gets it.
	got := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		r, err := Acquire(ctx, dir, "iis-www1")
		if err == nil {
			r()
		}
		got <- err
	}()
	release()
	if err := <-got; err != nil {
		t.Fatalf("Acquire after release = %v", err)
	}
}

func TestPathHidesTheTag(t *testing.T) {
	p := Path("/locks", `..\..\x"; rm -rf /`)
	if strings.Contains(p, "rm") || strings.Count(p, "/") != 2 || !strings.HasSuffix(p, ".lock") {
		t.Errorf("Path = %q", p)
	}
}
