//go:build windows

package winhost

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
	"github.com/iiskit/iiskit/internal/winhost/appcmd"
)

// siteBackend is one way of seeing and driving the sites of one service type.
type siteBackend interface {
	list(ctx context.Context) ([]platform.Site, error)
	start(ctx context.Context, s platform.Site) error
	stop(ctx context.Context, s platform.Site) error
}

// Options adjust New; the zero value is the real machine.
type Options struct {
	// AppcmdPath overrides where appcmd.exe is looked for.
	AppcmdPath string
	// Runner starts appcmd processes; nil is appcmd.ExecRunner.
	Runner appcmd.Runner
	// Version overrides the detected Windows version (tests).
	Version *Version
}

// Host is the Windows platform: a platform.Host over the service control manager and IIS.
type Host struct {
	scm      scm
	appcmd   *appcmd.Client
	version  Version
	sites    map[resource.Type]siteBackend
	hostname string
}

var _ platform.Host = (*Host)(nil)

// New checks the prerequisites (an elevated process, IIS and appcmd.exe present) and
// returns the Host. A missing prerequisite is an error wrapping platform.ErrPrerequisite
// that names what is missing; nothing on the machine is changed.
func New(_ context.Context, o Options) (*Host, error) {
	if err := checkElevated(); err != nil {
		return nil, err
	}
	path := o.AppcmdPath
	if path == "" {
		var err error
		if path, err = findAppcmd(); err != nil {
			return nil, err
		}
	} else if !isFile(path) {
		return nil, fmt.Errorf("%w: appcmd.exe is missing: no file at %s", platform.ErrPrerequisite, path)
	}
	runner := o.Runner
	if runner == nil {
		runner = appcmd.ExecRunner{}
	}
	v := currentVersion()
	if o.Version != nil {
		v = *o.Version
	}
	hostname, err := os.Hostname()
	if err != nil {
		return nil, fmt.Errorf("read the host name: %w", err)
	}
	h := &Host{appcmd: &appcmd.Client{Path: path, Runner: runner}, version: v, hostname: hostname}
	h.sites = map[resource.Type]siteBackend{
		resource.W3:   w3Sites{h.appcmd},
		resource.SMTP: smtpSites(h.scm),
	}
	// The original kit reads FTP sites with the IIS 7.5+ tools only on systems newer
	// than Windows Server 2008 R2, and through the IIS 6 metabase otherwise.
	if v.after2008R2() {
		h.sites[resource.FTP] = ftpSites{}
	} else {
		h.sites[resource.FTP] = legacyFTPSites(h.scm)
	}
	return h, nil
}

// Hostname returns the computer's name, the catalogue's $SYS.
func (h *Host) Hostname() string { return h.hostname }

// ServiceName returns the first of t's service names installed here (FTPSVC before
// MSFTPSVC on current systems, the other way round before 2008 R2's successors).
func (h *Host) ServiceName(ctx context.Context, t resource.Type) (string, error) {
	names := t.ServiceNames()
	if len(names) == 0 {
		return "", fmt.Errorf("service type %v: %w", t, platform.ErrNoService)
	}
	if t == resource.FTP && !h.version.after2008R2() {
		names = []string{"MSFTPSVC", "FTPSVC"}
	}
	for _, n := range names {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		ok, err := h.scm.exists(n)
		if err != nil {
			return "", err
		}
		if ok {
			return n, nil
		}
	}
	return "", fmt.Errorf("none of %v is installed: %w", names, platform.ErrNoService)
}

// ListSites lists every site of type t in one observation: one appcmd process for W3,
// one in-process COM pass for FTP and SMTP. Each call is a fresh read.
func (h *Host) ListSites(ctx context.Context, t resource.Type) ([]platform.Site, error) {
	b, err := h.backend(t)
	if err != nil {
		return nil, err
	}
	return b.list(ctx)
}

// StartSite asks IIS once to start s for type t.
func (h *Host) StartSite(ctx context.Context, t resource.Type, s platform.Site) error {
	b, err := h.backend(t)
	if err != nil {
		return err
	}
	return b.start(ctx, s)
}

// StopSite asks IIS once to stop s for type t.
func (h *Host) StopSite(ctx context.Context, t resource.Type, s platform.Site) error {
	b, err := h.backend(t)
	if err != nil {
		return err
	}
	return b.stop(ctx, s)
}

func (h *Host) backend(t resource.Type) (siteBackend, error) {
	b, ok := h.sites[t]
	if !ok {
		return nil, fmt.Errorf("service type %v: %w", t, errors.ErrUnsupported)
	}
	return b, nil
}

// w3Sites reads and drives W3 sites through appcmd, one process per request.
type w3Sites struct{ c *appcmd.Client }

func (w w3Sites) list(ctx context.Context) ([]platform.Site, error) {
	raw, err := w.c.ListSites(ctx)
	if err != nil {
		return nil, err
	}
	sites := make([]platform.Site, 0, len(raw))
	for _, r := range raw {
		if !r.Listed(resource.W3) {
			continue
		}
		s, err := r.For(resource.W3)
		if err != nil {
			return nil, fmt.Errorf("list IIS sites: %w", err)
		}
		sites = append(sites, s)
	}
	return sites, nil
}

func (w w3Sites) start(ctx context.Context, s platform.Site) error { return w.c.StartSite(ctx, s.Name) }
func (w w3Sites) stop(ctx context.Context, s platform.Site) error  { return w.c.StopSite(ctx, s.Name) }
