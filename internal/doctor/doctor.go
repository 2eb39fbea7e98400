// Package doctor is `iiskit doctor` (CLI.md "Doctor"): the read-only preflight an
// administrator runs on a node before trusting it. It reads the host through every way
// the platform offers (on Windows the IIS configuration API, appcmd and WMI; on the lab
// its API), compares what they say name by name and state by state, times each read,
// checks the lock folder and the platform's own prerequisites (event source, elevation),
// and resolves each resource against the host. Every finding says what to do. It starts,
// stops and writes nothing; --exercise (exercise.go) is the one exception, on request.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// Report is what doctor found; its JSON form is CLI.md's.
type Report struct {
	Host   map[string]string `json:"host"`
	Checks []Check           `json:"checks"`
	Sites  []Site            `json:"sites"`
	Pools  []Pool            `json:"pools"`
}

// Check is one finding. Detail says what was seen and, when OK is false, what to do.
type Check struct {
	Name   string  `json:"name"`
	OK     bool    `json:"ok"`
	Detail string  `json:"detail"`
	MS     float64 `json:"ms"`
}

// Site is one site as each reading saw it.
type Site struct {
	Type     string            `json:"type"`
	Name     string            `json:"name"`
	ID       int64             `json:"id"`
	States   map[string]string `json:"states"`
	Bindings []string          `json:"bindings"`
}

// Pool is one application pool as each reading saw it (none until the platform reads
// pools).
type Pool struct {
	Name   string            `json:"name"`
	States map[string]string `json:"states"`
}

// OK reports whether every check passed.
func (r Report) OK() bool {
	for _, c := range r.Checks {
		if !c.OK {
			return false
		}
	}
	return true
}

// Reading is one way of reading the host's sites. The first Reading of an Inspector is
// the one the actions use.
type Reading struct {
	Name  string
	Types []resource.Type
	List  func(ctx context.Context, t resource.Type) ([]platform.Site, error)
}

// Inspector is what a platform offers doctor beyond platform.Host.
type Inspector interface {
	// Facts describe the host: platform, versions, elevation.
	Facts() [][2]string
	// Readings are the ways of reading sites, the actions' own first.
	Readings() []Reading
	// Checks are the platform's own prerequisites (event source, elevation ...).
	Checks(ctx context.Context) []Check
}

// Env is what Run works with.
type Env struct {
	Host      platform.Host
	Inspector Inspector
	// Resources are resolved against the host (from --config, or the inline one).
	Resources []resource.Resource
	// LockDir is the lock folder and CheckLockDir the platform's check of it.
	LockDir      string
	CheckLockDir func(string) error
}

// timed runs f and returns its duration in milliseconds.
func timed(f func()) float64 {
	start := time.Now()
	f()
	return float64(time.Since(start).Microseconds()) / 1000
}

// Run inspects the host and returns the report. It changes nothing.
func Run(ctx context.Context, env Env) Report {
	r := Report{Host: map[string]string{"hostname": env.Host.Hostname()}, Checks: []Check{}, Sites: []Site{}, Pools: []Pool{}}
	for _, f := range env.Inspector.Facts() {
		r.Host[f[0]] = f[1]
	}
	r.services(ctx, env)
	readings := env.Inspector.Readings()
	listed := r.sites(ctx, readings)
	r.pools(ctx, env, readings, listed)
	r.lockFolder(env)
	r.Checks = append(r.Checks, env.Inspector.Checks(ctx)...)
	r.resources(ctx, env, readings, listed)
	return r
}

// services reports each type's Windows service and its state. A stopped service is not a
// fault (a standby node's services may be stopped on purpose; restore starts them); a
// service that cannot be queried is.
func (r *Report) services(ctx context.Context, env Env) {
	for _, t := range []resource.Type{resource.W3, resource.FTP, resource.SMTP} {
		var (
			name  string
			state platform.ServiceState
			err   error
		)
		ms := timed(func() {
			if name, err = env.Host.ServiceName(ctx, t); err == nil {
				state, err = env.Host.ServiceState(ctx, name)
			}
		})
		c := Check{Name: "service " + t.String(), OK: true, MS: ms}
		switch {
		case errors.Is(err, platform.ErrNoService):
			c.Detail = fmt.Sprintf("not installed (%s): no %s resource can run on this node", strings.Join(t.ServiceNames(), " or "), t)
			c.OK = !usesType(env.Resources, t)
			if !c.OK {
				c.Detail += "; a resource of this type is defined: install the role service, or move the resource"
			}
		case err != nil:
			c.OK = false
			c.Detail = fmt.Sprintf("cannot be queried: %v: run doctor elevated, and check the service control manager", err)
		default:
			c.Detail = fmt.Sprintf("%s %s", name, state)
			if state != platform.Running {
				c.Detail += " (restore starts it; on an active node it should be RUNNING)"
			}
		}
		r.Checks = append(r.Checks, c)
	}
}

func usesType(rs []resource.Resource, t resource.Type) bool {
	return slices.ContainsFunc(rs, func(r resource.Resource) bool { return r.Type == t })
}

// listing is what one reading gave for one type.
type listing struct {
	reading string
	sites   []platform.Site
	err     error
}

// sites reads every type through every reading, timing each, fills r.Sites and compares
// the readings of the same type name by name and state by state.
func (r *Report) sites(ctx context.Context, readings []Reading) map[resource.Type][]listing {
	out := map[resource.Type][]listing{}
	for _, rd := range readings {
		for _, t := range rd.Types {
			var l listing
			l.reading = rd.Name
			ms := timed(func() { l.sites, l.err = rd.List(ctx, t) })
			c := Check{Name: fmt.Sprintf("read %s sites through %s", t, rd.Name), OK: l.err == nil, MS: ms}
			if l.err != nil {
				c.Detail = fmt.Sprintf("%v: %s", l.err, whatToDo(l.err))
			} else {
				c.Detail = fmt.Sprintf("%d sites", len(l.sites))
			}
			r.Checks = append(r.Checks, c)
			out[t] = append(out[t], l)
		}
	}
	for _, t := range []resource.Type{resource.W3, resource.FTP, resource.SMTP} {
		r.merge(t, out[t])
	}
	return out
}

// whatToDo says what an administrator does about a failed read.
func whatToDo(err error) string {
	switch {
	case errors.Is(err, platform.ErrPrerequisite):
		return "install or enable what the message names, and run iiskit elevated"
	case errors.Is(err, context.DeadlineExceeded):
		return "the read did not finish in time: IIS's configuration system may be hung (iisreset)"
	}
	return "send this report to iiskit's maintainers"
}

// merge adds the sites of type t to r.Sites and compares the readings that succeeded.
func (r *Report) merge(t resource.Type, ls []listing) {
	byName := map[string]*Site{}
	var order []string
	var ok []listing
	for _, l := range ls {
		if l.err != nil {
			continue
		}
		ok = append(ok, l)
		for _, s := range l.sites {
			k := strings.ToLower(s.Name)
			site, seen := byName[k]
			if !seen {
				site = &Site{Type: t.String(), Name: s.Name, ID: s.ID, States: map[string]string{}, Bindings: []string{}}
				for _, b := range s.Bindings {
					site.Bindings = append(site.Bindings, b.String())
				}
				byName[k] = site
				order = append(order, k)
			}
			site.States[l.reading] = s.State.String()
		}
	}
	for _, k := range order {
		r.Sites = append(r.Sites, *byName[k])
	}
	if len(ok) < 2 {
		return
	}
	var diffs []string
	for _, k := range order {
		s := byName[k]
		var seen []string
		for _, l := range ok {
			st, found := s.States[l.reading]
			if !found {
				st = "absent"
			}
			seen = append(seen, l.reading+" "+st)
		}
		if len(slices.Compact(statesOnly(seen))) > 1 {
			diffs = append(diffs, fmt.Sprintf("%q: %s", s.Name, strings.Join(seen, ", ")))
		}
	}
	c := Check{Name: fmt.Sprintf("compare %s readings", t), OK: len(diffs) == 0}
	if c.OK {
		c.Detail = fmt.Sprintf("%d sites, the same names and states through %s", len(order), readingNames(ok))
	} else {
		c.Detail = "they differ: " + strings.Join(diffs, "; ") +
			": the actions use the first; send this report (iiskit doctor --json) to iiskit's maintainers"
	}
	r.Checks = append(r.Checks, c)
}

// statesOnly returns the states of "reading state" entries, for comparing.
func statesOnly(seen []string) []string {
	out := make([]string, len(seen))
	for i, s := range seen {
		out[i] = s[strings.LastIndexByte(s, ' ')+1:]
	}
	return out
}

func readingNames(ls []listing) string {
	var n []string
	for _, l := range ls {
		n = append(n, l.reading)
	}
	return strings.Join(n, " and ")
}

// pools reads the state of every application pool the actions' own W3 listing names
// (each site's pools), timing the reads.
func (r *Report) pools(ctx context.Context, env Env, readings []Reading, listed map[resource.Type][]listing) {
	if len(readings) == 0 {
		return
	}
	var names []string
	for _, l := range listed[resource.W3] {
		if l.reading != readings[0].Name || l.err != nil {
			continue
		}
		for _, s := range l.sites {
			for _, p := range s.Pools {
				if !slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, p) }) {
					names = append(names, p)
				}
			}
		}
	}
	if len(names) == 0 {
		return
	}
	c := Check{Name: "read application pools", OK: true}
	var bad []string
	c.MS = timed(func() {
		for _, n := range names {
			st, err := env.Host.PoolState(ctx, n)
			state := st.String()
			if err != nil {
				state = "unreadable"
				bad = append(bad, fmt.Sprintf("%q: %v", n, err))
			}
			r.Pools = append(r.Pools, Pool{Name: n, States: map[string]string{readings[0].Name: state}})
		}
	})
	c.Detail = fmt.Sprintf("%d pools", len(names))
	if len(bad) > 0 {
		c.OK = false
		c.Detail = "cannot read " + strings.Join(bad, "; ") + ": " + whatToDo(errors.New(""))
	}
	r.Checks = append(r.Checks, c)
}

// lockFolder checks the lock folder as the actions will find it.
func (r *Report) lockFolder(env Env) {
	c := Check{Name: "lock folder", OK: true}
	var err error
	c.MS = timed(func() { err = env.CheckLockDir(env.LockDir) })
	switch {
	case err == nil:
		c.Detail = env.LockDir + ": owner and permissions accepted"
	case errors.Is(err, fs.ErrNotExist):
		c.Detail = env.LockDir + ": absent; the first action creates it"
	default:
		c.OK = false
		c.Detail = fmt.Sprintf("%v: the actions will refuse it; delete it (iiskit recreates it safely) or set IISKIT_LOCK_DIR to a folder only the administrators can write", err)
	}
	r.Checks = append(r.Checks, c)
}

// resources resolves each resource against the actions' own reading of its type.
func (r *Report) resources(ctx context.Context, env Env, readings []Reading, listed map[resource.Type][]listing) {
	for _, res := range env.Resources {
		c := Check{Name: "resource " + res.Tag, OK: false}
		var ls *listing
		for i := range listed[res.Type] {
			if len(readings) > 0 && listed[res.Type][i].reading == readings[0].Name {
				ls = &listed[res.Type][i]
				break
			}
		}
		switch {
		case ls == nil:
			c.Detail = fmt.Sprintf("%s site %q: this platform has no reading of %s sites", res.Type, res.Site, res.Type)
		case ls.err != nil:
			c.Detail = fmt.Sprintf("%s site %q: the sites could not be read (see above)", res.Type, res.Site)
		default:
			s, found := platform.FindSite(ls.sites, res.Site)
			if !found {
				c.Detail = fmt.Sprintf("%s site %q not found among %d %s sites: check the name (IIS compares it case-insensitively) and the type", res.Type, res.Site, len(ls.sites), res.Type)
				break
			}
			c.OK = true
			var probes []string
			for _, b := range s.Bindings {
				p := b.String()
				if b.Unassigned() && !res.Options.ProbeUnassignedVia.IsValid() {
					p += " (no IP: warning 9773 unless probe_unassigned_via)"
				}
				probes = append(probes, p)
			}
			c.Detail = fmt.Sprintf("%s site %q found (id %d, %s); deepcheck probes %s", res.Type, s.Name, s.ID, s.State, orNone(probes))
			if res.Type == resource.W3 && s.Pools != nil {
				c.Detail += "; its pools: " + orNone(s.Pools)
			}
			if len(probes) == 0 {
				c.OK = res.Type == resource.SMTP && !res.Options.DeepSMTP
				c.Detail += ": a deepcheck has nothing to probe; add a binding"
			}
		}
		r.Checks = append(r.Checks, c)
	}
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "nothing"
	}
	return strings.Join(s, ", ")
}
