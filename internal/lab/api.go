package lab

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/resource"
)

// maxRequest bounds a control request's body.
const maxRequest = 1 << 20

// newAPI returns the control API's handler (paths in package labapi), behind its guard.
func newAPI(h *host) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+labapi.PathHost, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, labapi.Host{Hostname: h.name})
	})
	mux.HandleFunc("GET "+labapi.PathStatus, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, labapi.StatusJSON(h.status()))
	})
	mux.HandleFunc("GET "+labapi.PathService, func(w http.ResponseWriter, r *http.Request) {
		svc, err := h.serviceStatus(r.URL.Query().Get("name"))
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, svc)
	})
	mux.HandleFunc("GET "+labapi.PathSites, func(w http.ResponseWriter, r *http.Request) {
		t, err := resource.ParseType(r.URL.Query().Get("type"))
		if err != nil {
			writeError(w, invalidf("%v", err))
			return
		}
		sites, err := h.sitesOf(t)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, labapi.SitesJSON(sites))
	})
	mux.HandleFunc("POST "+labapi.PathListings, func(w http.ResponseWriter, r *http.Request) {
		var req labapi.ListingsRequest
		if !readJSON(w, r, &req) {
			return
		}
		msg, err := h.setListings(req)
		answer(w, msg, err)
	})
	service := func(path string, do func(labapi.ServiceRequest) (string, error)) {
		mux.HandleFunc("POST "+path, func(w http.ResponseWriter, r *http.Request) {
			var req labapi.ServiceRequest
			if !readJSON(w, r, &req) {
				return
			}
			if req.Name == "" {
				writeError(w, invalidf("empty service name"))
				return
			}
			msg, err := do(req)
			answer(w, msg, err)
		})
	}
	service(labapi.PathServiceState, func(q labapi.ServiceRequest) (string, error) { return h.setServiceState(q.Name, q.State) })
	service(labapi.PathServiceOnStart, func(q labapi.ServiceRequest) (string, error) { return h.setServiceOnStart(q.Name, q.Mode) })
	service(labapi.PathServicePending, func(q labapi.ServiceRequest) (string, error) { return h.setServicePending(q.Name, q.Pending) })
	service(labapi.PathServiceStart, func(q labapi.ServiceRequest) (string, error) { return h.startService(q.Name) })
	service(labapi.PathServiceStop, func(q labapi.ServiceRequest) (string, error) { return h.stopService(q.Name) })
	service(labapi.PathServiceContinue, func(q labapi.ServiceRequest) (string, error) { return h.continueService(q.Name) })

	site := func(path string, do func(labapi.SiteRequest) (string, error)) {
		mux.HandleFunc("POST "+path, func(w http.ResponseWriter, r *http.Request) {
			var req labapi.SiteRequest
			if !readJSON(w, r, &req) {
				return
			}
			if req.Name == "" {
				writeError(w, invalidf("empty site name"))
				return
			}
			msg, err := do(req)
			answer(w, msg, err)
		})
	}
	site(labapi.PathSiteAdd, h.addSite)
	site(labapi.PathSiteDelete, func(q labapi.SiteRequest) (string, error) { return h.deleteSite(q.Name) })
	site(labapi.PathSiteState, func(q labapi.SiteRequest) (string, error) { return h.setSiteState(q.Name, q.State, q.Type) })
	site(labapi.PathSiteStart, func(q labapi.SiteRequest) (string, error) { return h.startSite(q.Name, q.Type) })
	site(labapi.PathSiteStop, func(q labapi.SiteRequest) (string, error) { return h.stopSite(q.Name, q.Type) })
	site(labapi.PathSiteOnStart, func(q labapi.SiteRequest) (string, error) { return h.setSiteMode(q.Name, "on-start", q.Mode) })
	site(labapi.PathSiteOnStop, func(q labapi.SiteRequest) (string, error) { return h.setSiteMode(q.Name, "on-stop", q.Mode) })
	site(labapi.PathSiteRespond, func(q labapi.SiteRequest) (string, error) { return h.setSiteMode(q.Name, "respond", q.Mode) })

	mux.HandleFunc("GET "+labapi.PathPool, func(w http.ResponseWriter, r *http.Request) {
		p, err := h.poolStatus(r.URL.Query().Get("name"))
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, p)
	})
	pool := func(path string, do func(labapi.PoolRequest) (string, error)) {
		mux.HandleFunc("POST "+path, func(w http.ResponseWriter, r *http.Request) {
			var req labapi.PoolRequest
			if !readJSON(w, r, &req) {
				return
			}
			if req.Name == "" {
				writeError(w, invalidf("empty application pool name"))
				return
			}
			msg, err := do(req)
			answer(w, msg, err)
		})
	}
	pool(labapi.PathPoolAdd, h.addPool)
	pool(labapi.PathPoolDelete, func(q labapi.PoolRequest) (string, error) { return h.deletePool(q.Name) })
	pool(labapi.PathPoolState, func(q labapi.PoolRequest) (string, error) { return h.setPoolState(q.Name, q.State) })
	pool(labapi.PathPoolStart, func(q labapi.PoolRequest) (string, error) { return h.startPool(q.Name) })
	pool(labapi.PathPoolOnStart, func(q labapi.PoolRequest) (string, error) { return h.setPoolOnStart(q.Name, q.Mode) })
	pool(labapi.PathPoolCrash, func(q labapi.PoolRequest) (string, error) {
		if q.Count == 0 {
			q.Count = 1 // omitted: one failure, as `crash` without N
		}
		return h.crashPool(q.Name, q.Count)
	})

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, labapi.ErrorBody{Error: fmt.Sprintf("no such control request: %s %s", r.Method, r.URL.Path), Code: labapi.CodeBadRequest})
	})
	return guard(mux)
}

// readJSON decodes a request body strictly; on failure it has answered 400.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRequest))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, invalidf("malformed request body: %v", err))
		return false
	}
	return true
}

func answer(w http.ResponseWriter, msg string, err error) {
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, labapi.Result{Message: msg})
}

// writeError maps the model's refusals to statuses: 400 invalid, 404 unknown, 409 refused
// in the current state.
func writeError(w http.ResponseWriter, err error) {
	status, code := http.StatusInternalServerError, labapi.CodeInternal
	switch {
	case errors.Is(err, errInvalid):
		status, code = http.StatusBadRequest, labapi.CodeBadRequest
	case errors.Is(err, errNoSite):
		status, code = http.StatusNotFound, labapi.CodeNoSite
	case errors.Is(err, errNoPool):
		status, code = http.StatusNotFound, labapi.CodeNoPool
	case errors.Is(err, errNoService):
		status, code = http.StatusNotFound, labapi.CodeNoService
	case errors.Is(err, errConflict):
		status, code = http.StatusConflict, labapi.CodeConflict
	}
	writeJSON(w, status, labapi.ErrorBody{Error: err.Error(), Code: code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client has gone if this fails
}
