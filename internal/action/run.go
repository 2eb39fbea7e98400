package action

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/iiskit/iiskit/internal/event"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// run is one action in progress: its resource, its deadline and its event stream.
type run struct {
	ctx      context.Context
	env      Env
	opts     Options
	res      resource.Resource
	action   string
	check    bool   // quickcheck or deepcheck: only observes
	service  string // the Windows service name, $SVCTYPE
	deadline time.Time
	log      *slog.Logger
}

// begin starts an action: it fills the defaults, sets the overall deadline both on the
// context (so platform calls stop) and on the clock (so waits stop), and resolves the
// service name.
func begin(ctx context.Context, env Env, res resource.Resource, action string, timeout time.Duration) (*run, context.CancelFunc) {
	opts := env.Options.withDefaults(timeout)
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	log := env.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	r := &run{
		ctx: ctx, env: env, opts: opts, res: res, action: action,
		check:    action == "quickcheck" || action == "deepcheck",
		deadline: env.Clock.Now().Add(opts.Timeout),
		log:      log.With("action", action, "tag", res.Tag),
	}
	r.service = res.Type.ServiceName()
	if name, err := env.Host.ServiceName(ctx, res.Type); err != nil {
		r.log.Warn("could not tell which Windows service carries the site; assuming the current one", "type", res.Type, "service", r.service, "err", err)
	} else {
		r.service = name
	}
	return r, cancel
}

// fields returns the substitutions every event of this action shares.
func (r *run) fields() event.Fields {
	return event.Fields{
		Tag:         r.res.Tag,
		Site:        r.res.Site,
		System:      r.env.Host.Hostname(),
		ServiceName: r.service,
		SiteType:    r.res.Type.String() + " site",
	}
}

// emit writes event id with the shared fields, adjusted by set. A sink that cannot write
// is reported in the log; it does not change the action's outcome.
func (r *run) emit(id event.ID, set func(*event.Fields)) {
	f := r.fields()
	if set != nil {
		set(&f)
	}
	e, err := event.New(r.env.Clock.Now(), r.action, id, f)
	if err != nil {
		r.log.Error("could not render event", "id", id, "err", err)
		return
	}
	if err := r.env.Events.Emit(e); err != nil {
		r.log.Error("could not record event", "id", id, "err", err)
	}
}

// withService sets $SVCSTATECODE and $SVCSTATEDESC.
func withService(st platform.ServiceState) func(*event.Fields) {
	return func(f *event.Fields) {
		f.ServiceCode = uint32(st)
		f.ServiceDesc = st.String()
	}
}

// sleep waits one retry interval, cut short by the deadline; it reports false, without
// waiting, once the deadline or the context has passed.
func (r *run) sleep() bool {
	left := r.deadline.Sub(r.env.Clock.Now())
	if left <= 0 || r.ctx.Err() != nil {
		return false
	}
	select {
	case <-r.ctx.Done():
		return false
	case <-r.env.Clock.After(min(r.opts.RetryInterval, left)):
		return true
	}
}

// serviceState reads the service state once; a failed read is logged and reported as 0,
// which no rule treats as Running.
func (r *run) serviceState(step string) platform.ServiceState {
	st, err := r.env.Host.ServiceState(r.ctx, r.service)
	if err != nil {
		r.log.Error("could not query the service state", "step", step, "service", r.service, "err", err)
		return 0
	}
	return st
}

// startService asks for a start and polls at the retry interval until the service is
// Running, falls back to Stopped, or the deadline comes (SPEC Timing). It returns the
// last state read.
func (r *run) startService(step string) (platform.ServiceState, bool) {
	if err := r.env.Host.StartService(r.ctx, r.service); err != nil {
		r.log.Warn("start request failed; watching the state anyway", "step", step, "service", r.service, "err", err)
	}
	var last platform.ServiceState
	for {
		if st := r.serviceState(step); st != 0 {
			last = st
		}
		switch last {
		case platform.Running:
			return last, true
		case platform.Stopped:
			return last, false
		}
		if !r.sleep() {
			return last, false
		}
	}
}

// listSites reads every site of the resource's service once: from Env.Listings in a
// check action that has one, from the host otherwise.
func (r *run) listSites(step string) ([]platform.Site, bool) {
	var lister SiteLister = r.env.Host
	if r.check && r.env.Listings != nil {
		lister = r.env.Listings
	}
	sites, err := lister.ListSites(r.ctx, r.res.Type)
	if err != nil {
		r.log.Error("could not list the IIS sites", "step", step, "type", r.res.Type, "err", err)
		return nil, false
	}
	return sites, true
}

// findSite reads the listing and picks the protected site: found is false when it is
// absent or the listing failed (the original cannot tell these apart either: both give
// a null index).
func (r *run) findSite(step string) (site platform.Site, found bool) {
	sites, ok := r.listSites(step)
	if !ok {
		return platform.Site{}, false
	}
	return platform.FindSite(sites, r.res.Site)
}

// readSiteState reads the protected site's state once; a site that vanished or could not
// be read is reported with ok false.
func (r *run) readSiteState(step string) (platform.SiteState, bool) {
	s, found := r.findSite(step)
	if !found {
		return platform.SiteUnknown, false
	}
	return s.State, true
}
