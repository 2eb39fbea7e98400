package action

import (
	"context"
	"net/netip"
	"time"

	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
)

// DeepCheck runs SPEC D1..D4.6: quickcheck, then a login to every FTP binding or an HTTP
// request to every http binding of a Started W3 site.
func DeepCheck(ctx context.Context, env Env, res resource.Resource) Outcome {
	r, cancel := begin(ctx, env, res, NameDeepCheck)
	defer cancel()
	release, ok := r.hold() // S4
	if !ok {
		return r.busy()
	}
	defer release()
	return r.outcome(r.deepCheck())
}

func (r *run) deepCheck() bool {
	// D1
	if !r.quickCheck() {
		return false
	}
	// D2: the original writes an ftp.exe command file here; iiskit never writes
	// credentials to a file (S3), so there is nothing to do.
	// D3: a new listing, as the original queries IIS again; D4 reads the site's state and
	// bindings from it.
	site, found := r.findSite("D3")
	if !found {
		r.decide(event.DeepNoSiteIndex, nil, r.faultOr("D3", Outcome{Cause: CauseSiteAbsent}))
		return false
	}
	// D4: SMTP stops here unless deep_smtp [ext] asks for a probe.
	if r.res.Type == resource.SMTP && !r.res.Options.DeepSMTP || site.State != platform.SiteStarted {
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

// probeTargets picks the bindings of the site's protocols (http and https for W3, ftp for
// FTP, smtp for SMTP with deep_smtp) that have an IP address (D4.2 [ext]: each one, not
// only the first). With probe_unassigned_via (D4.3 [ext]) the unassigned ones are probed
// at that address too.
func (r *run) probeTargets(site platform.Site) []target {
	via := r.res.Options.ProbeUnassignedVia
	var out []target
	for _, b := range site.Bindings {
		if t, ok := resource.TypeOfProtocol(b.Protocol); !ok || t != r.res.Type {
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

// probeBinding runs D4.4 (FTP login), D4.5 (pollsite) or the [ext] SMTP check against
// one binding.
func (r *run) probeBinding(b resource.Binding, addr string) bool {
	switch r.res.Type {
	case resource.FTP:
		return r.probeFTP(b, addr)
	case resource.SMTP:
		return r.probeSMTP(b, addr)
	}
	return r.probeHTTP(b, addr)
}

// probeFTP is D4.4: a login that must see a "230 " line.
func (r *run) probeFTP(b resource.Binding, addr string) bool {
	o := r.res.Options
	res := r.env.Probe.FTPLogin(r.ctx, probe.FTPTarget{
		Addr: addr, User: r.res.FTP.User, Password: r.res.FTP.Password, Timeout: r.opts.ProbeTimeout,
		TLS: o.FTPTLS, TLSVerify: o.TLSVerify, ServerName: b.ProbeHost(""), VirtualHost: b.ProbeHost(""),
	})
	if res.Code == probe.OK {
		return true
	}
	r.log.Info("FTP login failed", "binding", b.String(), "code", int(res.Code), "err", res.Err)
	r.decide(event.DeepFTPLoginFailed, func(f *event.Fields) { f.FTPResponse = res.Replies }, probeFailed("D4.4", b, res))
	return false
}

// probeHTTP is D4.5: the pollsite check, over TLS for https bindings [ext], with a host
// name IIS routes to the binding: its host header, or for a wildcard one (*.example.com)
// probe_host_label [ext] in place of the "*"; none for a binding of any host.
func (r *run) probeHTTP(b resource.Binding, addr string) bool {
	o := r.res.Options
	res := r.env.Probe.HTTP(r.ctx, probe.HTTPTarget{
		Addr: addr, Host: b.ProbeHost(o.ProbeHostLabel), TLS: b.Protocol == "https", URL: o.URL,
		ExpectStatus: o.ExpectStatus, Timeout: r.opts.ProbeTimeout, TLSVerify: o.TLSVerify,
	})
	r.warnCertificate(b, res)
	if res.Code == probe.OK {
		return true
	}
	r.log.Info("HTTP probe failed", "binding", b.String(), "code", int(res.Code), "status", res.Status, "err", res.Err)
	if id, ok := pollEvent(res.Code); ok {
		r.decide(id, nil, probeFailed("D4.5", b, res))
	} else {
		r.failWithout(probeFailed("D4.5", b, res))
	}
	return false
}

// warnCertificate emits 9801 [ext] when the certificate a binding presented expires within
// cert_warn_days; it never fails the check.
func (r *run) warnCertificate(b resource.Binding, res probe.Result) {
	days := r.res.Options.CertWarnDays
	if days <= 0 || res.CertNotAfter.IsZero() {
		return
	}
	if res.CertNotAfter.Sub(r.env.Clock.Now()) > time.Duration(days)*24*time.Hour {
		return
	}
	r.emit(event.DeepCertExpiring, func(f *event.Fields) {
		f.Binding = b.Info()
		f.CertExpires = res.CertNotAfter.UTC().Format(time.RFC3339)
		f.CertDays = days
	})
}

// probeSMTP is the [ext] deep_smtp check: greeting, EHLO and QUIT.
func (r *run) probeSMTP(b resource.Binding, addr string) bool {
	res := r.env.Probe.SMTP(r.ctx, probe.SMTPTarget{
		Addr: addr, Timeout: r.opts.ProbeTimeout, StartTLS: resource.TLSAuto,
		TLSVerify: r.res.Options.TLSVerify, ServerName: b.Host,
	})
	if res.Code == probe.OK {
		return true
	}
	r.log.Info("SMTP probe failed", "binding", b.String(), "code", int(res.Code), "err", res.Err)
	id := event.DeepSMTPNoAnswer
	if res.Code == probe.SMTPNoConnect {
		id = event.DeepSMTPNoConnection
	}
	r.decide(id, func(f *event.Fields) {
		f.Binding = b.Info()
		f.SMTPResponse = res.Replies
	}, probeFailed("D4", b, res))
	return false
}

// probeFailed is the outcome of a probe of binding b that gave res.
func probeFailed(step string, b resource.Binding, res probe.Result) Outcome {
	t, _ := resource.TypeOfProtocol(b.Protocol)
	return Outcome{Cause: CauseProbeFailed, Step: step, Probe: res.Code, ProbeType: t, Binding: b.Info(), Err: res.Err}
}

// pollEvent maps pollsite results 1..6 to events 9754..9759 (D4.5); any other result
// fails without an event.
func pollEvent(c probe.Code) (event.ID, bool) {
	if c >= probe.BadArgs && c <= probe.HTTPNoAnswer {
		return event.PollBadArguments + event.ID(c-probe.BadArgs), true
	}
	return 0, false
}
