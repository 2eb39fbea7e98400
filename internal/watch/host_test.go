package watch

import (
	"context"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// scaleHost is an in-memory host of n Started W3 sites whose http bindings all point at
// one local HTTP server: what is measured is iiskit's own work per check (listing
// lookup, decisions, events, lock, probe client), not an emulator's.
type scaleHost struct {
	sites []platform.Site
}

func (h *scaleHost) Hostname() string { return "NODE1" }
func (h *scaleHost) ServiceName(context.Context, resource.Type) (string, error) {
	return "W3SVC", nil
}
func (h *scaleHost) ServiceState(context.Context, string) (platform.ServiceState, error) {
	return platform.Running, nil
}
func (h *scaleHost) StartService(context.Context, string) error    { return nil }
func (h *scaleHost) ContinueService(context.Context, string) error { return nil }
func (h *scaleHost) ListSites(context.Context, resource.Type) ([]platform.Site, error) {
	return h.sites, nil
}
func (h *scaleHost) StartSite(context.Context, resource.Type, platform.Site) error { return nil }
func (h *scaleHost) StopSite(context.Context, resource.Type, platform.Site) error  { return nil }
func (h *scaleHost) PoolState(context.Context, string) (platform.PoolState, error) {
	return platform.PoolStarted, nil
}
func (h *scaleHost) StartPool(context.Context, string) error { return nil }

var _ platform.Host = (*scaleHost)(nil)
