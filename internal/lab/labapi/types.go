// Package labapi is the wire format of the lab host's control API (HTTP and JSON under
// /v1/) and a small client for it, shared by the lab host, the `iiskit lab` verbs and the
// lab platform. Names travel in JSON bodies or escaped query values, never in paths, so
// that any Unicode site name arrives intact.
//
// The Go types carry the platform's typed states; their JSON spelling (service states as
// one CamelCase word, site states as IIS prints them) is this package's, in json.go.
package labapi

import (
	"time"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// The control API's paths.
const (
	PathHost            = "/v1/host"
	PathStatus          = "/v1/status"
	PathSites           = "/v1/sites"   // GET ?type=W3: the sites serving one service type
	PathService         = "/v1/service" // GET ?name=W3SVC: one service
	PathServiceState    = "/v1/service/state"
	PathServiceOnStart  = "/v1/service/on-start"
	PathServicePending  = "/v1/service/pending"
	PathServiceStart    = "/v1/service/start"
	PathServiceStop     = "/v1/service/stop"
	PathServiceContinue = "/v1/service/continue"
	PathSiteAdd         = "/v1/site/add"
	PathSiteDelete      = "/v1/site/delete"
	PathSiteState       = "/v1/site/state"
	PathSiteStart       = "/v1/site/start"
	PathSiteStop        = "/v1/site/stop"
	PathSiteOnStart     = "/v1/site/on-start"
	PathSiteOnStop      = "/v1/site/on-stop"
	PathSiteRespond     = "/v1/site/respond"
	PathListings        = "/v1/listings" // POST ListingsRequest: make site listings fail
	PathPool            = "/v1/pool"     // GET ?name=DefaultAppPool: one application pool
	PathPoolAdd         = "/v1/pool/add"
	PathPoolDelete      = "/v1/pool/delete"
	PathPoolState       = "/v1/pool/state"
	PathPoolStart       = "/v1/pool/start"
	PathPoolOnStart     = "/v1/pool/on-start"
	PathPoolCrash       = "/v1/pool/crash"
)

// Error codes carried in ErrorBody.Code.
const (
	CodeBadRequest = "bad_request" // HTTP 400: malformed or invalid request
	CodeForbidden  = "forbidden"   // HTTP 403: a caller the API does not serve (cross-origin, rebound Host)
	CodeNoService  = "no_service"  // HTTP 404: unknown service
	CodeNoSite     = "no_site"     // HTTP 404: unknown site
	CodeNoPool     = "no_pool"     // HTTP 404: unknown application pool
	CodeConflict   = "conflict"    // HTTP 409: the host refuses in its current state
	CodeInternal   = "internal"    // HTTP 500
)

// Host is the answer of GET /v1/host.
type Host struct {
	Hostname string `json:"hostname"`
}

// Service is one emulated Windows service (JSON: name, type, state, onStart, pending).
type Service struct {
	Name    string
	Type    string
	State   platform.ServiceState
	OnStart string
	// Pending is how long start, stop and continue requests stay pending.
	Pending time.Duration
}

// Site is one emulated IIS site (JSON: name, id, types, state, states, autoStart,
// bindings, onStart, onStop, respond, lastError, pools).
type Site struct {
	Name string
	ID   int64
	// Types are the service types its bindings decide (W3, FTP, SMTP).
	Types []string
	// State is the site's state for the service type it was listed for; in the whole
	// status, its W3 state (or its only type's).
	State platform.SiteState
	// States holds each type's own state when the site serves more than one type (IIS:
	// WAS and the FTP service each keep theirs); nil otherwise.
	States    map[resource.Type]platform.SiteState
	AutoStart bool
	// Bindings are in protocol/IP:Port:HostHeader form.
	Bindings []string
	OnStart  string
	OnStop   string
	Respond  string
	// LastError is why the last start failed (a bind error), empty otherwise.
	LastError string
	// Pools are the application pools of the site's applications, the root
	// application's first; only W3 sites have them.
	Pools []string
}

// Pool is one emulated IIS application pool (JSON: name, state, autoStart, onStart,
// rapidFailProtection, failures, sites).
type Pool struct {
	Name      string
	State     platform.PoolState
	AutoStart bool
	OnStart   string
	// RapidFail is rapid-fail protection: MaxCrashes worker-process failures within
	// Interval stop the pool (IIS's defaults: on, 5 within 5 minutes).
	RapidFail  bool
	MaxCrashes int
	Interval   time.Duration
	// Failures counts the worker-process failures within the last Interval.
	Failures int
	// Sites are the sites with an application in the pool.
	Sites []string
}

// Status is the answer of GET /v1/status: the whole emulated host.
type Status struct {
	Hostname string    `json:"hostname"`
	Services []Service `json:"services"`
	Sites    []Site    `json:"sites"`
	Pools    []Pool    `json:"pools"`
}

// ServiceRequest is the body of the /v1/service/... requests; State is for state, Mode
// for on-start, Pending (a duration such as "2s") for pending.
type ServiceRequest struct {
	Name    string `json:"name"`
	State   string `json:"state,omitempty"`
	Mode    string `json:"mode,omitempty"`
	Pending string `json:"pending,omitempty"`
}

// ListingsRequest is the body of POST /v1/listings: Mode "fail" makes the next Count site
// listings (every Count when it is 0) answer an error, as appcmd failing does; "ok" ends
// that.
type ListingsRequest struct {
	Mode  string `json:"mode"`
	Count int    `json:"count,omitempty"`
}

// SiteRequest is the body of the /v1/site/... requests. Add uses Type, Bindings, ID and
// Stopped; state uses State and, for a site of several types, optionally Type; start and
// stop use Type; on-start, on-stop and respond use Mode.
type SiteRequest struct {
	Name     string   `json:"name"`
	Type     string   `json:"type,omitempty"`
	Bindings []string `json:"bindings,omitempty"`
	ID       int64    `json:"id,omitempty"`
	Stopped  bool     `json:"stopped,omitempty"`
	State    string   `json:"state,omitempty"`
	Mode     string   `json:"mode,omitempty"`
	// Pool is the root application's pool of an added W3 site; empty is the default.
	Pool string `json:"pool,omitempty"`
}

// PoolRequest is the body of the /v1/pool/... requests. Add uses Stopped; state uses
// State; on-start uses Mode; crash uses Count (how many worker-process failures; 0 or
// omitted is 1).
type PoolRequest struct {
	Name    string `json:"name"`
	Stopped bool   `json:"stopped,omitempty"`
	State   string `json:"state,omitempty"`
	Mode    string `json:"mode,omitempty"`
	Count   int    `json:"count,omitempty"`
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
