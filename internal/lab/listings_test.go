package lab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/iiskit/iiskit/internal/lab/labapi"
)

// TestListingsFault: `lab listings fail N` makes exactly the next N site listings answer
// an error (as appcmd failing does), `fail` without N every one until `ok`; the other
// requests keep answering, and a bad request is refused (400).
func TestListingsFault(t *testing.T) {
	ip := testIP(t)
	cfg := writeConfig(t, siteXML("Web", `id="1"`, [2]string{"http", fmt.Sprintf("%s:%d:", ip, nextPort())}))
	_, c := startLab(t, cfg, 0)
	ctx := context.Background()
	set := func(q labapi.ListingsRequest) error {
		return c.Do(ctx, http.MethodPost, labapi.PathListings, nil, q, &labapi.Result{})
	}
	listed := func() bool {
		_, err := c.Sites(ctx, "W3")
		var api *labapi.APIError
		if err != nil && (!errors.As(err, &api) || api.Status != http.StatusInternalServerError) {
			t.Fatalf("listing failed other than as an injected fault: %v", err)
		}
		return err == nil
	}
	if !listed() {
		t.Fatal("a listing failed before any fault")
	}
	if err := set(labapi.ListingsRequest{Mode: "fail", Count: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ServiceStatus(ctx, "W3SVC"); err != nil {
		t.Errorf("a service read failed with listings failing: %v", err)
	}
	if got := []bool{listed(), listed(), listed()}; fmt.Sprint(got) != "[false false true]" {
		t.Errorf("fail 2: listings answered %v, want [false false true]", got)
	}
	if err := set(labapi.ListingsRequest{Mode: "fail"}); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if listed() {
			t.Fatalf("fail: listing %d answered", i+1)
		}
	}
	if err := set(labapi.ListingsRequest{Mode: "ok"}); err != nil {
		t.Fatal(err)
	}
	if !listed() {
		t.Error("ok: the listing still fails")
	}
	for _, bad := range []labapi.ListingsRequest{{Mode: "sulk"}, {Mode: "fail", Count: -1}, {Mode: "ok", Count: 3}} {
		var api *labapi.APIError
		if err := set(bad); !errors.As(err, &api) || api.Status != http.StatusBadRequest {
			t.Errorf("%+v: %v, want 400", bad, err)
		}
	}
}
