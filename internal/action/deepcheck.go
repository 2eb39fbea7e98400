package action

import (
	"context"
	"net/netip"

	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
)

// DeepCheck runs SPEC D1..D4.6: quickcheck, then a login to every FTP binding or an HTTP
// request to every http binding of a Started W3 site.
func DeepCheck(ctx context.Context, env Env, res resource.Resource) Status {
	// A check only observes: one site listing serves all its steps (one appcmd process on
	// Windows).
	r, cancel := begin(platform.WithListingMemo(ctx), env, res, "deepcheck", DefaultCheckTimeout)
	defer cancel()
	return statusOf(r.deepCheck())
}

func (r *run) deepCheck() bool {
	// D1
	if !r.quickCheck() {
		return false
	}
	// D2: the original writes an ftp.exe command file here; iiskit never writes
	// credentials to a file (S3), so there is nothing to do.
	// D3
	site, found := r.findSite("D3")
	if !found {
		r.emit(event.DeepNoSiteIndex, nil)
		return false
	}
	// D4
	if r.res.Type == resource.SMTP || site.State != platform.SiteStarted {
		return true
	}
	// D4.1, D4.2
	targets := r.probeTargets(site)
	// D4.3
	if len(targets) == 0 {
		r.emit(event.DeepNoIPAddress, nil)
		return true
	}
	for _, b := range targets {
		if !r.probeBinding(b.binding, b.addr) {
			return false
		}
	}
	return true
}

// target is one binding to probe and the address to dial for it.
type target struct {
	binding resource.Binding
	addr    string
}

// probeTargets picks the bindings of the site's protocol (http for W3, ftp for FTP) that
// have an IP address (D4.2 [ext]: each one, not only the first). With
// probe_unassigned_via (D4.3 [ext]) the unassigned ones are probed at that address too.
func (r *run) probeTargets(site platform.Site) []target {
	proto := r.res.Type.Protocols()[0]
	via := r.res.Options.ProbeUnassignedVia
	var out []target
	for _, b := range site.Bindings {
		if b.Protocol != proto {
			continue
		}
		switch {
		case !b.Unassigned():
			out = append(out, target{b, b.HostPort(netip.Addr{})})
		case via.IsValid():
			out = append(out, target{b, b.HostPort(via)})
		}
	}
	return out
}

// probeBinding runs D4.4 (FTP login) or D4.5 (pollsite) against one binding.
func (r *run) probeBinding(b resource.Binding, addr string) bool {
	if r.res.Type == resource.FTP {
		res := r.env.Probe.FTPLogin(r.ctx, probe.FTPTarget{
			Addr: addr, User: r.res.FTP.User, Password: r.res.FTP.Password, Timeout: r.opts.ProbeTimeout,
		})
		if res.Code == probe.OK {
			return true
		}
		r.log.Info("FTP login failed", "binding", b.String(), "code", int(res.Code), "err", res.Err)
		r.emit(event.DeepFTPLoginFailed, func(f *event.Fields) { f.FTPResponse = res.Replies })
		return false
	}
	res := r.env.Probe.HTTP(r.ctx, probe.HTTPTarget{
		Addr: addr, Host: b.Host, URL: r.res.Options.URL,
		ExpectStatus: r.res.Options.ExpectStatus, Timeout: r.opts.ProbeTimeout,
	})
	if res.Code == probe.OK {
		return true
	}
	r.log.Info("HTTP probe failed", "binding", b.String(), "code", int(res.Code), "status", res.Status, "err", res.Err)
	if id, ok := pollEvent(res.Code); ok {
		r.emit(id, nil)
	}
	return false
}

// pollEvent maps pollsite results 1..6 to events 9754..9759 (D4.5); any other result
// fails without an event.
func pollEvent(c probe.Code) (event.ID, bool) {
	if c >= probe.BadArgs && c <= probe.HTTPNoAnswer {
		return event.PollBadArguments + event.ID(c-probe.BadArgs), true
	}
	return 0, false
}
