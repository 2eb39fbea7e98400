package lab

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// appPoolsConfig is the part of applicationHost.config that gives the lab its application
// pools: system.applicationHost/applicationPools/add (name, autoStart, failure's
// rapid-fail settings) and each site's applications' applicationPool, with
// applicationDefaults at the sites and the site level.
type appPoolsConfig struct {
	XMLName  xml.Name         `xml:"configuration"`
	Pools    []xmlPool        `xml:"system.applicationHost>applicationPools>add"`
	Defaults *xmlAppDefaults  `xml:"system.applicationHost>sites>applicationDefaults"`
	Sites    []xmlSiteAppPool `xml:"system.applicationHost>sites>site"`
}

type xmlPool struct {
	Name      string      `xml:"name,attr"`
	AutoStart *string     `xml:"autoStart,attr"`
	Failure   *xmlFailure `xml:"failure"`
}

type xmlFailure struct {
	RapidFail  *string `xml:"rapidFailProtection,attr"`
	Interval   *string `xml:"rapidFailProtectionInterval,attr"`
	MaxCrashes *string `xml:"rapidFailProtectionMaxCrashes,attr"`
}

type xmlAppDefaults struct {
	Pool *string `xml:"applicationPool,attr"`
}

type xmlSiteAppPool struct {
	Name     string          `xml:"name,attr"`
	Defaults *xmlAppDefaults `xml:"applicationDefaults"`
	Apps     []xmlApp        `xml:"application"`
}

type xmlApp struct {
	Path string  `xml:"path,attr"`
	Pool *string `xml:"applicationPool,attr"`
}

// parseAppPools reads the pools of an applicationHost.config document and the pools of
// each site's applications (keyed by the site's name in lower case), root application
// first, each pool once. An application without applicationPool takes the site's
// applicationDefaults, then the sites' applicationDefaults, then DefaultAppPool. A site
// without an application element has no pool. A pool an application names that the file
// does not declare is kept as named: the site then answers 503, as IIS's would.
func parseAppPools(data []byte) ([]*pool, map[string][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var cfg appPoolsConfig
	if err := xml.Unmarshal(data, &cfg); err != nil {
		return nil, nil, fmt.Errorf("not a well-formed applicationHost.config: %w", err)
	}
	var pools []*pool
	seen := map[string]bool{}
	for i, x := range cfg.Pools {
		if x.Name == "" {
			return nil, nil, fmt.Errorf("application pool number %d of system.applicationHost/applicationPools has no name", i+1)
		}
		if seen[strings.ToLower(x.Name)] {
			return nil, nil, fmt.Errorf("application pool %q: the name appears twice (IIS pool names are unique regardless of case)", x.Name)
		}
		seen[strings.ToLower(x.Name)] = true
		p, err := poolFromXML(x)
		if err != nil {
			return nil, nil, err
		}
		pools = append(pools, p)
	}
	global := defaultPoolName
	if cfg.Defaults != nil && cfg.Defaults.Pool != nil && strings.TrimSpace(*cfg.Defaults.Pool) != "" {
		global = strings.TrimSpace(*cfg.Defaults.Pool)
	}
	bySite := map[string][]string{}
	for _, s := range cfg.Sites {
		def := global
		if s.Defaults != nil && s.Defaults.Pool != nil && strings.TrimSpace(*s.Defaults.Pool) != "" {
			def = strings.TrimSpace(*s.Defaults.Pool)
		}
		var names []string
		add := func(app xmlApp) {
			name := def
			if app.Pool != nil && strings.TrimSpace(*app.Pool) != "" {
				name = strings.TrimSpace(*app.Pool)
			}
			for _, n := range names {
				if strings.EqualFold(n, name) {
					return
				}
			}
			names = append(names, name)
		}
		for _, root := range []bool{true, false} {
			for _, app := range s.Apps {
				if (app.Path == "/") == root {
					add(app)
				}
			}
		}
		if len(names) > 0 {
			bySite[strings.ToLower(s.Name)] = names
		}
	}
	return pools, bySite, nil
}

// poolFromXML reads one applicationPools/add element with IIS's defaults: autoStart true,
// rapid-fail protection on, 5 failures within 00:05:00.
func poolFromXML(x xmlPool) (*pool, error) {
	p := newPool(x.Name, true)
	if x.AutoStart != nil {
		v, err := strconv.ParseBool(strings.TrimSpace(*x.AutoStart))
		if err != nil {
			return nil, fmt.Errorf("application pool %q: autoStart %q is neither true nor false", x.Name, *x.AutoStart)
		}
		p = newPool(x.Name, v)
	}
	if f := x.Failure; f != nil {
		if f.RapidFail != nil {
			v, err := strconv.ParseBool(strings.TrimSpace(*f.RapidFail))
			if err != nil {
				return nil, fmt.Errorf("application pool %q: rapidFailProtection %q is neither true nor false", x.Name, *f.RapidFail)
			}
			p.rapidFail = v
		}
		if f.MaxCrashes != nil {
			n, err := strconv.Atoi(strings.TrimSpace(*f.MaxCrashes))
			if err != nil || n < 1 {
				return nil, fmt.Errorf("application pool %q: rapidFailProtectionMaxCrashes %q is not a positive number", x.Name, *f.MaxCrashes)
			}
			p.maxCrashes = n
		}
		if f.Interval != nil {
			d, err := parseTimeSpan(*f.Interval)
			if err != nil || d <= 0 {
				return nil, fmt.Errorf("application pool %q: rapidFailProtectionInterval %q is not a time span such as 00:05:00", x.Name, *f.Interval)
			}
			p.interval = d
		}
	}
	return p, nil
}

// parseTimeSpan reads IIS's timeSpan attribute form [d.]hh:mm:ss.
func parseTimeSpan(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var days int
	if d, rest, ok := strings.Cut(s, "."); ok && !strings.Contains(d, ":") {
		n, err := strconv.Atoi(d)
		if err != nil {
			return 0, err
		}
		days, s = n, rest
	}
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0, fmt.Errorf("want hh:mm:ss")
	}
	var v [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("want hh:mm:ss")
		}
		v[i] = n
	}
	return time.Duration(days)*24*time.Hour + time.Duration(v[0])*time.Hour + time.Duration(v[1])*time.Minute + time.Duration(v[2])*time.Second, nil
}
