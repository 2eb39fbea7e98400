package lab

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/platform"
)

// TestControlAPIRefusesBrowsers: what a web page can send to a loopback port (SPEC S5,
// issue 8 item 5) changes nothing; the lab client's own requests still work.
func TestControlAPIRefusesBrowsers(t *testing.T) {
	srv, c := startLab(t, writeConfig(t), 0)
	hostPort := strings.TrimPrefix(srv.URL(), "http://")
	stop := `{"name":"W3SVC","state":"Stopped"}`
	tests := []struct {
		name    string
		method  string
		path    string
		body    string
		headers map[string]string
		host    string // empty: the URL's own
		want    int
	}{
		{"cross-site text/plain POST (a form)", http.MethodPost, labapi.PathServiceState, stop,
			map[string]string{"Content-Type": "text/plain", "Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}, "", http.StatusForbidden},
		{"text/plain POST without browser headers", http.MethodPost, labapi.PathServiceState, stop,
			map[string]string{"Content-Type": "text/plain"}, "", http.StatusUnsupportedMediaType},
		{"POST without Content-Type", http.MethodPost, labapi.PathServiceState, stop, nil, "", http.StatusUnsupportedMediaType},
		{"JSON POST from another origin", http.MethodPost, labapi.PathServiceState, stop,
			map[string]string{"Content-Type": "application/json", "Origin": "http://127.0.0.1:8080"}, "", http.StatusForbidden},
		{"JSON POST marked cross-site", http.MethodPost, labapi.PathServiceState, stop,
			map[string]string{"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"}, "", http.StatusForbidden},
		{"JSON POST marked same-site", http.MethodPost, labapi.PathServiceState, stop,
			map[string]string{"Content-Type": "application/json", "Sec-Fetch-Site": "same-site"}, "", http.StatusForbidden},
		{"DNS-rebound Host, POST", http.MethodPost, labapi.PathServiceState, stop,
			map[string]string{"Content-Type": "application/json"}, "evil.example:7780", http.StatusForbidden},
		{"DNS-rebound Host, GET", http.MethodGet, labapi.PathStatus, "", nil, "evil.example:7780", http.StatusForbidden},
		{"Host of a non-loopback address", http.MethodGet, labapi.PathStatus, "", nil, "192.0.2.1:7780", http.StatusForbidden},
		{"localhost Host", http.MethodGet, labapi.PathHost, "", nil, "localhost:7780", http.StatusOK},
		{"cross-origin GET", http.MethodGet, labapi.PathStatus, "", map[string]string{"Origin": "http://evil.example"}, "", http.StatusForbidden},
		{"GET marked cross-site", http.MethodGet, labapi.PathStatus, "", map[string]string{"Sec-Fetch-Site": "cross-site"}, "", http.StatusForbidden},
		{"GET marked same-site", http.MethodGet, labapi.PathStatus, "", map[string]string{"Sec-Fetch-Site": "same-site"}, "", http.StatusForbidden},
		{"GET from an opaque origin", http.MethodGet, labapi.PathStatus, "", map[string]string{"Origin": "null"}, "", http.StatusForbidden},
		{"GET from another port of the host", http.MethodGet, labapi.PathStatus, "", map[string]string{"Origin": "http://" + strings.Split(hostPort, ":")[0] + ":1"}, "", http.StatusForbidden},
		{"GET from https of the same host and port", http.MethodGet, labapi.PathStatus, "", map[string]string{"Origin": "https://" + hostPort}, "", http.StatusForbidden},
		{"same-origin GET", http.MethodGet, labapi.PathStatus, "", map[string]string{"Origin": srv.URL(), "Sec-Fetch-Site": "same-origin"}, "", http.StatusOK},
		{"GET typed into the address bar", http.MethodGet, labapi.PathStatus, "", map[string]string{"Sec-Fetch-Site": "none"}, "", http.StatusOK},
		{"JSON POST from an opaque origin", http.MethodPost, labapi.PathServiceState, stop,
			map[string]string{"Content-Type": "application/json", "Origin": "null"}, "", http.StatusForbidden},
		{"same-origin JSON POST", http.MethodPost, labapi.PathServiceOnStart, `{"name":"W3SVC","mode":"ok"}`,
			map[string]string{"Content-Type": "application/json; charset=utf-8", "Origin": srv.URL(), "Sec-Fetch-Site": "same-origin"}, "", http.StatusOK},
	}
	hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{Proxy: nil}}
	defer hc.CloseIdleConnections()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL()+tc.path, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			req.Host = hostPort
			if tc.host != "" {
				req.Host = tc.host
			}
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
	if got := serviceState(t, c, "W3SVC"); got != platform.Running {
		t.Fatalf("W3SVC is %v after the refused requests, want RUNNING", got)
	}
	mustService(t, c, labapi.PathServiceState, labapi.ServiceRequest{Name: "W3SVC", State: "Stopped"})
	if got := serviceState(t, c, "W3SVC"); got != platform.Stopped {
		t.Fatalf("the lab client's own request: W3SVC %v", got)
	}
}

// TestClientFollowsNoRedirect: a "lab host" that redirects gets its redirect back as an
// error, and the redirect's target never sees a request.
func TestClientFollowsNoRedirect(t *testing.T) {
	var reached atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached.Add(1) }))
	defer target.Close()
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer redirector.Close()
	c, err := labapi.NewClient(redirector.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Status(context.Background())
	var api *labapi.APIError
	if !errors.As(err, &api) || api.Status != http.StatusTemporaryRedirect {
		t.Fatalf("Status from a redirecting host: %v, want an APIError with status 307", err)
	}
	_, err = c.Service(context.Background(), labapi.PathServiceState, labapi.ServiceRequest{Name: "W3SVC", State: "Stopped"})
	if !errors.As(err, &api) || api.Status != http.StatusTemporaryRedirect {
		t.Fatalf("a change through a redirecting host: %v", err)
	}
	if n := reached.Load(); n != 0 {
		t.Fatalf("the redirect's target got %d requests", n)
	}
}
