package ocf

import (
	"context"
	"errors"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// HostNode asks a host whether the resource's service is installed: validate-all's
// question (the actions answer it themselves, as CauseServiceAbsent).
type HostNode struct {
	Host platform.Host
	Type resource.Type
}

// ServiceMissing reports whether the host says the service of the resource's type is
// not installed. Any other answer, an error included, is "not known to be missing".
func (n HostNode) ServiceMissing(ctx context.Context) bool {
	name, err := n.Host.ServiceName(ctx, n.Type)
	if errors.Is(err, platform.ErrNoService) {
		return true
	}
	if err != nil {
		name = n.Type.ServiceName()
	}
	_, err = n.Host.ServiceState(ctx, name)
	return errors.Is(err, platform.ErrNoService)
}

// CheckPresence is validate-all at level 10: IIS (the site's service) and the site exist
// on this node. A site that exists but is stopped, or a service that is stopped, is
// valid: that is the passive node's normal state. It observes and changes nothing, and
// writes no event (validation is not a health check).
func CheckPresence(ctx context.Context, host platform.Host, res resource.Resource) Result {
	if (HostNode{Host: host, Type: res.Type}).ServiceMissing(ctx) {
		return Fail(ErrInstalled, "the IIS service for %s sites is not installed on %s", res.Type, host.Hostname())
	}
	sites, err := host.ListSites(ctx, res.Type)
	if err != nil {
		return Fail(ErrGeneric, "listing the IIS %s sites on %s: %v", res.Type, host.Hostname(), err)
	}
	if _, found := platform.FindSite(sites, res.Site); !found {
		return Fail(ErrInstalled, "IIS site %q does not exist on %s", res.Site, host.Hostname())
	}
	return Result{Code: Success}
}
