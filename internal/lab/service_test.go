package lab

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/platform"
)

func TestServiceStartModes(t *testing.T) {
	tests := []struct {
		name string
		mode string
		want platform.ServiceState
	}{
		{"ok reaches Running", "ok", platform.Running},
		{"fail falls back to Stopped", "fail", platform.Stopped},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, c := startLab(t, writeConfig(t), 1500*time.Millisecond)
			mustService(t, c, labapi.PathServiceState, labapi.ServiceRequest{Name: "W3SVC", State: "Stopped"})
			mustService(t, c, labapi.PathServiceOnStart, labapi.ServiceRequest{Name: "W3SVC", Mode: tc.mode})
			mustService(t, c, labapi.PathServiceStart, labapi.ServiceRequest{Name: "W3SVC"})
			if got := serviceState(t, c, "W3SVC"); got != platform.StartPending {
				t.Fatalf("right after the start request: %v, want START_PENDING", got)
			}
			// A second request while pending is accepted and changes nothing.
			mustService(t, c, labapi.PathServiceStart, labapi.ServiceRequest{Name: "w3svc"})
			waitFor(t, "the pending start to end", func() bool { return serviceState(t, c, "W3SVC") != platform.StartPending })
			if got := serviceState(t, c, "W3SVC"); got != tc.want {
				t.Fatalf("after the pending delay: %v, want %v", got, tc.want)
			}
		})
	}
}

// TestServiceStartHang starts two services together, one hanging: once the other has
// reached Running, the hanging one's delay has passed too, and it must still be pending.
func TestServiceStartHang(t *testing.T) {
	_, c := startLab(t, writeConfig(t), 50*time.Millisecond)
	for _, name := range []string{"W3SVC", "FTPSVC"} {
		mustService(t, c, labapi.PathServiceState, labapi.ServiceRequest{Name: name, State: "Stopped"})
	}
	mustService(t, c, labapi.PathServiceOnStart, labapi.ServiceRequest{Name: "W3SVC", Mode: "hang"})
	mustService(t, c, labapi.PathServiceStart, labapi.ServiceRequest{Name: "W3SVC"})
	mustService(t, c, labapi.PathServiceStart, labapi.ServiceRequest{Name: "FTPSVC"})
	waitFor(t, "FTPSVC to run", func() bool { return serviceState(t, c, "FTPSVC") == platform.Running })
	if got := serviceState(t, c, "W3SVC"); got != platform.StartPending {
		t.Fatalf("hanging W3SVC: %v, want START_PENDING", got)
	}
	mustService(t, c, labapi.PathServiceState, labapi.ServiceRequest{Name: "W3SVC", State: "Running"})
	if got := serviceState(t, c, "W3SVC"); got != platform.Running {
		t.Fatalf("after forcing: %v, want RUNNING", got)
	}
}

func TestServiceRequests(t *testing.T) {
	_, c := startLab(t, writeConfig(t), 50*time.Millisecond)
	tests := []struct {
		name       string
		path       string
		req        labapi.ServiceRequest
		wantStatus int
	}{
		{"start on Running changes nothing", labapi.PathServiceStart, labapi.ServiceRequest{Name: "SMTPSVC"}, 0},
		{"unknown service", labapi.PathServiceStart, labapi.ServiceRequest{Name: "MSFTPSVC"}, http.StatusNotFound},
		{"unknown state", labapi.PathServiceState, labapi.ServiceRequest{Name: "W3SVC", State: "Sleeping"}, http.StatusBadRequest},
		{"unknown on-start mode", labapi.PathServiceOnStart, labapi.ServiceRequest{Name: "W3SVC", Mode: "maybe"}, http.StatusBadRequest},
		{"empty name", labapi.PathServiceStart, labapi.ServiceRequest{}, http.StatusBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Service(context.Background(), tc.path, tc.req)
			var api *labapi.APIError
			switch {
			case tc.wantStatus == 0 && err != nil:
				t.Fatalf("error %v", err)
			case tc.wantStatus != 0 && (!errors.As(err, &api) || api.Status != tc.wantStatus):
				t.Fatalf("error %v, want status %d", err, tc.wantStatus)
			}
		})
	}
	if got := serviceState(t, c, "SMTPSVC"); got != platform.Running {
		t.Errorf("SMTPSVC after a start request while running: %v", got)
	}
	mustService(t, c, labapi.PathServiceState, labapi.ServiceRequest{Name: "W3SVC", State: "StopPending"})
	_, err := c.Service(context.Background(), labapi.PathServiceStart, labapi.ServiceRequest{Name: "W3SVC"})
	var api *labapi.APIError
	if !errors.As(err, &api) || api.Status != http.StatusConflict {
		t.Errorf("start on StopPending: %v, want 409", err)
	}
}
