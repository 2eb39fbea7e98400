package labapi

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// serviceStateWords are the lab's spelling of the service states, one CamelCase word each,
// indexed by dwCurrentState.
var serviceStateWords = [...]string{"", "Stopped", "StartPending", "StopPending", "Running", "ContinuePending", "PausePending", "Paused"}

// ServiceStateWord returns a service state as the lab spells it: one CamelCase word
// (StartPending); a state with no name reads State<N>.
func ServiceStateWord(s platform.ServiceState) string {
	if s >= platform.Stopped && s <= platform.Paused {
		return serviceStateWords[s]
	}
	return fmt.Sprintf("State%d", uint32(s))
}

// ParseServiceState reads a service state as a user or the API writes it: its CamelCase
// word, its catalogue name (START_PENDING) or its number, case-insensitively.
func ParseServiceState(s string) (platform.ServiceState, error) {
	t := strings.TrimSpace(s)
	for i := platform.Stopped; i <= platform.Paused; i++ {
		if strings.EqualFold(t, serviceStateWords[i]) || strings.EqualFold(t, i.String()) || t == fmt.Sprint(uint32(i)) {
			return i, nil
		}
	}
	return 0, fmt.Errorf("unknown service state %q (want Stopped, StartPending, StopPending, Running, ContinuePending, PausePending or Paused)", s)
}

// serviceJSON is Service on the wire.
type serviceJSON struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	State   string `json:"state"`
	OnStart string `json:"onStart"`
	Pending string `json:"pending"`
}

// MarshalJSON writes the state as its CamelCase word and the pending delay as a Go
// duration ("1.5s").
func (s Service) MarshalJSON() ([]byte, error) {
	return json.Marshal(serviceJSON{Name: s.Name, Type: s.Type, State: ServiceStateWord(s.State), OnStart: s.OnStart, Pending: s.Pending.String()})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (s *Service) UnmarshalJSON(b []byte) error {
	var w serviceJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	st, err := ParseServiceState(w.State)
	if err != nil {
		return fmt.Errorf("service %q: %w", w.Name, err)
	}
	var pending time.Duration
	if w.Pending != "" {
		if pending, err = time.ParseDuration(w.Pending); err != nil {
			return fmt.Errorf("service %q: pending: %w", w.Name, err)
		}
	}
	*s = Service{Name: w.Name, Type: w.Type, State: st, OnStart: w.OnStart, Pending: pending}
	return nil
}

// siteJSON is Site on the wire.
type siteJSON struct {
	Name      string            `json:"name"`
	ID        int64             `json:"id"`
	Types     []string          `json:"types"`
	State     string            `json:"state"`
	States    map[string]string `json:"states,omitempty"`
	AutoStart bool              `json:"autoStart"`
	Bindings  []string          `json:"bindings"`
	OnStart   string            `json:"onStart"`
	OnStop    string            `json:"onStop"`
	Respond   string            `json:"respond"`
	LastError string            `json:"lastError,omitempty"`
	Pools     []string          `json:"pools"`
}

// MarshalJSON writes site states as IIS prints them (Started, Stopped ...).
func (s Site) MarshalJSON() ([]byte, error) { return json.Marshal(s.wire()) }

func (s Site) wire() siteJSON {
	w := siteJSON{Name: s.Name, ID: s.ID, Types: s.Types, State: s.State.String(), AutoStart: s.AutoStart,
		Bindings: s.Bindings, OnStart: s.OnStart, OnStop: s.OnStop, Respond: s.Respond, LastError: s.LastError, Pools: s.Pools}
	if w.Pools == nil {
		w.Pools = []string{}
	}
	if w.Types == nil {
		w.Types = []string{}
	}
	if w.Bindings == nil {
		w.Bindings = []string{}
	}
	if len(s.States) > 0 {
		w.States = make(map[string]string, len(s.States))
		for t, st := range s.States {
			w.States[t.String()] = st.String()
		}
	}
	return w
}

// UnmarshalJSON reads what MarshalJSON writes.
func (s *Site) UnmarshalJSON(b []byte) error {
	var w siteJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v, err := w.site()
	if err != nil {
		return err
	}
	*s = v
	return nil
}

func (w siteJSON) site() (Site, error) {
	st, err := platform.ParseSiteState(w.State)
	if err != nil {
		return Site{}, fmt.Errorf("site %q: %w", w.Name, err)
	}
	s := Site{Name: w.Name, ID: w.ID, Types: w.Types, State: st, AutoStart: w.AutoStart, Bindings: w.Bindings,
		OnStart: w.OnStart, OnStop: w.OnStop, Respond: w.Respond, LastError: w.LastError, Pools: w.Pools}
	if len(w.States) > 0 {
		s.States = make(map[resource.Type]platform.SiteState, len(w.States))
		for k, v := range w.States {
			t, err := resource.ParseType(k)
			if err != nil {
				return Site{}, fmt.Errorf("site %q: states: %w", w.Name, err)
			}
			if s.States[t], err = platform.ParseSiteState(v); err != nil {
				return Site{}, fmt.Errorf("site %q: states: %w", w.Name, err)
			}
		}
	}
	return s, nil
}

// SitesJSON returns sites in a form encoding/json writes exactly as []Site, in one pass: a
// json.Marshaler per site would have each site's JSON encoded and then scanned again.
func SitesJSON(sites []Site) any {
	ws := make([]siteJSON, len(sites))
	for i, s := range sites {
		ws[i] = s.wire()
	}
	return ws
}

// StatusJSON is SitesJSON for a whole status.
func StatusJSON(st Status) any {
	pools := st.Pools
	if pools == nil {
		pools = []Pool{}
	}
	return struct {
		Hostname string    `json:"hostname"`
		Services []Service `json:"services"`
		Sites    any       `json:"sites"`
		Pools    []Pool    `json:"pools"`
	}{st.Hostname, st.Services, SitesJSON(st.Sites), pools}
}

// poolJSON is Pool on the wire.
type poolJSON struct {
	Name       string   `json:"name"`
	State      string   `json:"state"`
	AutoStart  bool     `json:"autoStart"`
	OnStart    string   `json:"onStart"`
	RapidFail  bool     `json:"rapidFailProtection"`
	MaxCrashes int      `json:"rapidFailProtectionMaxCrashes"`
	Interval   string   `json:"rapidFailProtectionInterval"`
	Failures   int      `json:"failures"`
	Sites      []string `json:"sites"`
}

// MarshalJSON writes the state as IIS prints it and the interval as a Go duration.
func (p Pool) MarshalJSON() ([]byte, error) {
	sites := p.Sites
	if sites == nil {
		sites = []string{}
	}
	return json.Marshal(poolJSON{Name: p.Name, State: p.State.String(), AutoStart: p.AutoStart, OnStart: p.OnStart,
		RapidFail: p.RapidFail, MaxCrashes: p.MaxCrashes, Interval: p.Interval.String(), Failures: p.Failures, Sites: sites})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (p *Pool) UnmarshalJSON(b []byte) error {
	var w poolJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	st, err := platform.ParsePoolState(w.State)
	if err != nil {
		return fmt.Errorf("application pool %q: %w", w.Name, err)
	}
	var interval time.Duration
	if w.Interval != "" {
		if interval, err = time.ParseDuration(w.Interval); err != nil {
			return fmt.Errorf("application pool %q: rapidFailProtectionInterval: %w", w.Name, err)
		}
	}
	*p = Pool{Name: w.Name, State: st, AutoStart: w.AutoStart, OnStart: w.OnStart, RapidFail: w.RapidFail,
		MaxCrashes: w.MaxCrashes, Interval: interval, Failures: w.Failures, Sites: w.Sites}
	return nil
}

// sitesFromWire converts a listing decoded as plain wire structs, which a large listing
// decodes in one pass (a json.Unmarshaler per site would have every site scanned twice).
func sitesFromWire(ws []siteJSON) ([]Site, error) {
	out := make([]Site, len(ws))
	for i, w := range ws {
		var err error
		if out[i], err = w.site(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
