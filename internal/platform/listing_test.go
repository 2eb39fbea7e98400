package platform

import (
	"context"
	"errors"
	"testing"

	"github.com/iiskit/iiskit/internal/resource"
)

func TestMemoizedListing(t *testing.T) {
	calls := 0
	list := func() ([]Site, error) {
		calls++
		return []Site{{Name: "a", ID: int64(calls)}}, nil
	}
	bg := context.Background()
	for _, tc := range []struct {
		name  string
		steps func(ctx context.Context)
		ctx   context.Context
		want  int
	}{
		{"no memo: every call lists", func(ctx context.Context) {
			_, _ = MemoizedListing(ctx, resource.W3, list)
			_, _ = MemoizedListing(ctx, resource.W3, list)
		}, bg, 2},
		{"memo: one listing per type", func(ctx context.Context) {
			_, _ = MemoizedListing(ctx, resource.W3, list)
			_, _ = MemoizedListing(ctx, resource.W3, list)
			_, _ = MemoizedListing(ctx, resource.FTP, list)
		}, WithListingMemo(bg), 2},
		{"forget: lists again", func(ctx context.Context) {
			_, _ = MemoizedListing(ctx, resource.W3, list)
			ForgetListings(ctx)
			_, _ = MemoizedListing(ctx, resource.W3, list)
		}, WithListingMemo(bg), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls = 0
			tc.steps(tc.ctx)
			if calls != tc.want {
				t.Errorf("%d listings, want %d", calls, tc.want)
			}
		})
	}
}

func TestMemoizedListingKeepsNoError(t *testing.T) {
	ctx := WithListingMemo(context.Background())
	boom := errors.New("boom")
	if _, err := MemoizedListing(ctx, resource.W3, func() ([]Site, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	got, err := MemoizedListing(ctx, resource.W3, func() ([]Site, error) { return []Site{{Name: "a"}}, nil })
	if err != nil || len(got) != 1 {
		t.Errorf("got %v %v: a failed listing must not be remembered", got, err)
	}
	got[0].Name = "changed"
	again, _ := MemoizedListing(ctx, resource.W3, nil)
	if again[0].Name != "a" {
		t.Error("a caller's change leaked into the memo")
	}
}
