// Package labapi is the wire format of the lab host's control API (HTTP and JSON under
// /v1/) and a small client for it, shared by the lab host, the `iiskit lab` verbs and the
// lab platform. Names travel in JSON bodies or escaped query values, never in paths, so
// that any Unicode site name arrives intact.
package labapi

import "github.com/iiskit/iiskit/internal/platform"

// The control API's paths.
const (
	PathHost            = "/v1/host"
	PathStatus          = "/v1/status"
	PathSites           = "/v1/sites" // GET ?type=W3: the sites serving one service type
	PathServiceState    = "/v1/service/state"
	PathServiceOnStart  = "/v1/service/on-start"
	PathServiceStart    = "/v1/service/start"
	PathServiceContinue = "/v1/service/continue"
	PathSiteAdd         = "/v1/site/add"
	PathSiteDelete      = "/v1/site/delete"
	PathSiteState       = "/v1/site/state"
	PathSiteStart       = "/v1/site/start"
	PathSiteStop        = "/v1/site/stop"
	PathSiteOnStart     = "/v1/site/on-start"
	PathSiteOnStop      = "/v1/site/on-stop"
	PathSiteRespond     = "/v1/site/respond"
)

// Error codes carried in ErrorBody.Code.
const (
	CodeBadRequest = "bad_request" // HTTP 400: malformed or invalid request
	CodeNoService  = "no_service"  // HTTP 404: unknown service
	CodeNoSite     = "no_site"     // HTTP 404: unknown site
	CodeConflict   = "conflict"    // HTTP 409: the host refuses in its current state
	CodeInternal   = "internal"    // HTTP 500
)

// Host is the answer of GET /v1/host.
type Host struct {
	Hostname string `json:"hostname"`
}

// Service is one emulated Windows service.
type Service struct {
	Name    string                `json:"name"`
	Type    string                `json:"type"`
	State   platform.ServiceState `json:"state"`
	OnStart string                `json:"onStart"`
}

// Site is one emulated IIS site.
type Site struct {
	Name string `json:"name"`
	ID   int64  `json:"id"`
	// Types are the service types its bindings decide (W3, FTP, SMTP).
	Types     []string           `json:"types"`
	State     platform.SiteState `json:"state"`
	AutoStart bool               `json:"autoStart"`
	// Bindings are in protocol/IP:Port:HostHeader form.
	Bindings []string `json:"bindings"`
	OnStart  string   `json:"onStart"`
	OnStop   string   `json:"onStop"`
	Respond  string   `json:"respond"`
	// LastError is why the last start failed (a bind error), empty otherwise.
	LastError string `json:"lastError,omitempty"`
}

// Status is the answer of GET /v1/status: the whole emulated host.
type Status struct {
	Hostname string    `json:"hostname"`
	Services []Service `json:"services"`
	Sites    []Site    `json:"sites"`
}

// ServiceRequest is the body of the /v1/service/... requests; State is for state, Mode
// for on-start.
type ServiceRequest struct {
	Name  string `json:"name"`
	State string `json:"state,omitempty"`
	Mode  string `json:"mode,omitempty"`
}

// SiteRequest is the body of the /v1/site/... requests. Add uses Type, Bindings, ID and
// Stopped; state uses State; start and stop use Type; on-start, on-stop and respond use
// Mode.
type SiteRequest struct {
	Name     string   `json:"name"`
	Type     string   `json:"type,omitempty"`
	Bindings []string `json:"bindings,omitempty"`
	ID       int64    `json:"id,omitempty"`
	Stopped  bool     `json:"stopped,omitempty"`
	State    string   `json:"state,omitempty"`
	Mode     string   `json:"mode,omitempty"`
}

// Result is the answer of a successful change: what the host did, in one line.
type Result struct {
	Message string `json:"message"`
}

// ErrorBody is the answer of a refused request.
type ErrorBody struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}
