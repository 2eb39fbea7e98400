package ocf

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// host answers the observations CheckPresence and HostNode make; the embedded nil Host
// makes any change request (which they must never make) panic.
type host struct {
	platform.Host
	stateErr error
	sites    []platform.Site
	listErr  error
}

func (h host) Hostname() string { return "NODE2" }
func (h host) ServiceName(_ context.Context, t resource.Type) (string, error) {
	return t.ServiceName(), nil
}
func (h host) ServiceState(context.Context, string) (platform.ServiceState, error) {
	return platform.Stopped, h.stateErr
}
func (h host) ListSites(context.Context, resource.Type) ([]platform.Site, error) {
	return h.sites, h.listErr
}

func TestCheckPresence(t *testing.T) {
	res := resource.Resource{Tag: "iis-www1", Site: "Default Web Site", Type: resource.W3}
	www := []platform.Site{{Name: "default web site", ID: 1, State: platform.SiteStopped}}
	noService := fmt.Errorf("querying W3SVC: %w", platform.ErrNoService)
	for _, c := range []struct {
		name string
		h    host
		want Code
	}{
		{"present, stopped", host{sites: www}, Success},
		{"service not installed", host{stateErr: noService, sites: www}, ErrInstalled},
		{"site absent", host{sites: []platform.Site{{Name: "Other", ID: 2}}}, ErrInstalled},
		{"cannot list", host{listErr: errors.New("appcmd: access denied")}, ErrGeneric},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := CheckPresence(context.Background(), c.h, res)
			if r.Code != c.want || (r.Code == Success) != (r.Reason == "") {
				t.Errorf("%+v, want %v", r, c.want)
			}
		})
	}
	if !(HostNode{Host: host{stateErr: noService}, Type: resource.W3}).ServiceMissing(context.Background()) {
		t.Error("ServiceMissing is false for a service the host says is not installed")
	}
	if (HostNode{Host: host{stateErr: errors.New("RPC server unavailable")}, Type: resource.W3}).ServiceMissing(context.Background()) {
		t.Error("ServiceMissing is true for a state that merely could not be read")
	}
}
