//go:build windows

package winhost

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
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
	// AppcmdPath overrides where appcmd.exe is looked for (the W3 fallback).
	AppcmdPath string
	// Runner starts appcmd processes; nil is appcmd.ExecRunner.
	Runner appcmd.Runner
	// Version overrides the detected Windows version (tests).
	Version *Version
	// ProgIDs override the COM classes used (tests); zero fields are the real ones.
	ProgIDs ProgIDs
	// Log receives diagnostics that are not errors (a site skipped, the appcmd
	// fallback); nil is slog.Default().
	Log *slog.Logger
}

// ProgIDs name the COM classes the Windows platform creates.
type ProgIDs struct {
	// AdminManager reads IIS's configuration: Microsoft.ApplicationHost.AdminManager.
	AdminManager string
	// WritableAdminManager runs its methods: Microsoft.ApplicationHost.WritableAdminManager.
	WritableAdminManager string
	// Locator opens WMI: WbemScripting.SWbemLocator.
	Locator string
}

func (p ProgIDs) withDefaults() ProgIDs {
	if p.AdminManager == "" {
		p.AdminManager = adminManager
	}
	if p.WritableAdminManager == "" {
		p.WritableAdminManager = writableAdminMgr
	}
	if p.Locator == "" {
		p.Locator = "WbemScripting.SWbemLocator"
	}
	return p
}

// Host is the Windows platform: a platform.Host over the service control manager and IIS.
type Host struct {
	scm      scm
	com      *comRunner
	api      apphost
	progIDs  ProgIDs
	version  Version
	sites    map[resource.Type]siteBackend
	hostname string
	log      *slog.Logger
	// appcmdPath finds appcmd.exe (Options.AppcmdPath, or the usual places).
	appcmdPath func() (string, error)
	runner     appcmd.Runner
}

var _ platform.Host = (*Host)(nil)

// New checks the prerequisites (an elevated process; IIS: its configuration API, or at
// least appcmd.exe) and returns the Host. A missing prerequisite is an error wrapping
// platform.ErrPrerequisite that names what is missing; nothing on the machine is
// changed. It creates no COM object and starts no process: whether the API is
// registered is one registry read.
func New(_ context.Context, o Options) (*Host, error) {
	if err := checkElevated(); err != nil {
		return nil, err
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
	log := o.Log
	if log == nil {
		log = slog.Default()
	}
	find := findAppcmd
	if o.AppcmdPath != "" {
		path := o.AppcmdPath
		find = func() (string, error) {
			if !isFile(path) {
				return "", fmt.Errorf("%w: appcmd.exe is missing: no file at %s", platform.ErrPrerequisite, path)
			}
			return path, nil
		}
	}
	ids := o.ProgIDs.withDefaults()
	if !progIDRegistered(ids.AdminManager) {
		// Without the API, appcmd must be there now, or IIS is not installed.
		if _, err := find(); err != nil {
			return nil, fmt.Errorf("%w: IIS is not installed: the IIS configuration API (%s) is not registered, and %w", platform.ErrPrerequisite, ids.AdminManager, err)
		}
	}
	h := &Host{com: &comRunner{}, progIDs: ids, version: v, hostname: hostname, log: log, appcmdPath: find, runner: runner}
	h.api = apphost{com: h.com, admin: ids.AdminManager, writable: ids.WritableAdminManager, log: log}
	h.sites = map[resource.Type]siteBackend{
		resource.W3:   &w3Sites{api: h.api, findAppcmd: find, runner: runner},
		resource.SMTP: smtpSites(h.scm, h.com, ids.Locator),
	}
	// The original kit reads FTP sites with the IIS 7.5+ tools only on systems newer
	// than Windows Server 2008 R2, and through the IIS 6 metabase otherwise.
	if v.after2008R2() {
		h.sites[resource.FTP] = ftpSites{api: h.api}
	} else {
		h.sites[resource.FTP] = legacyFTPSites(h.scm, h.com, ids.Locator)
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

// ListSites lists every site of type t in one observation: one in-process pass over IIS's
// configuration (W3, FTP) or WMI (SMTP, IIS 6 FTP). Each call is a fresh read.
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
