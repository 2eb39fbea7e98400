package lab

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/iiskit/iiskit/internal/iisconfig"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// appHostConfig is the part of applicationHost.config the lab reads:
// system.applicationHost/sites/site with its bindings. Everything else is ignored. Each
// site becomes an iisconfig.Site, IIS's own description of it, whose bindings the lab
// serves; serverAutoStart is read beside it.
type appHostConfig struct {
	XMLName xml.Name  `xml:"configuration"`
	Sites   []xmlSite `xml:"system.applicationHost>sites>site"`
}

type xmlSite struct {
	Name            string       `xml:"name,attr"`
	ID              string       `xml:"id,attr"`
	ServerAutoStart *string      `xml:"serverAutoStart,attr"`
	Bindings        []xmlBinding `xml:"bindings>binding"`
}

type xmlBinding struct {
	Protocol string `xml:"protocol,attr"`
	Info     string `xml:"bindingInformation,attr"`
}

// readAppHostConfig reads the sites and application pools of an applicationHost.config
// file; each W3 site carries its applications' pools.
func readAppHostConfig(path string) ([]*site, []*pool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading IIS configuration: %w", err)
	}
	sites, err := parseAppHostConfig(data)
	if err != nil {
		return nil, nil, fmt.Errorf("IIS configuration %s: %w", path, err)
	}
	pools, bySite, err := parseAppPools(data)
	if err != nil {
		return nil, nil, fmt.Errorf("IIS configuration %s: %w", path, err)
	}
	for _, s := range sites {
		if s.serves(resource.W3) {
			s.pools = bySite[strings.ToLower(s.name)]
		}
	}
	return sites, pools, nil
}

// parseAppHostConfig reads the sites of an applicationHost.config document, as IIS writes
// it (UTF-8, often with a byte-order mark). serverAutoStart defaults to true, as in IIS;
// bindings of protocols no lab service runs (net.tcp, net.pipe...) are skipped.
func parseAppHostConfig(data []byte) ([]*site, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var cfg appHostConfig
	if err := xml.Unmarshal(data, &cfg); err != nil {
		return nil, fmt.Errorf("not a well-formed applicationHost.config: %w", err)
	}
	var sites []*site
	seen := map[string]bool{}
	for i, x := range cfg.Sites {
		if x.Name == "" {
			return nil, fmt.Errorf("site number %d of system.applicationHost/sites has no name", i+1)
		}
		key := strings.ToLower(x.Name)
		if seen[key] {
			return nil, fmt.Errorf("site %q: the name appears twice (IIS site names are unique regardless of case)", x.Name)
		}
		seen[key] = true
		id, err := strconv.ParseInt(strings.TrimSpace(x.ID), 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("site %q: id %q is not a positive number", x.Name, x.ID)
		}
		autoStart := true
		if x.ServerAutoStart != nil {
			autoStart, err = strconv.ParseBool(strings.TrimSpace(*x.ServerAutoStart))
			if err != nil {
				return nil, fmt.Errorf("site %q: serverAutoStart %q is neither true nor false", x.Name, *x.ServerAutoStart)
			}
		}
		raw := iisconfig.Site{Name: x.Name, ID: id, State: platform.SiteUnknown}
		for _, xb := range x.Bindings {
			raw.Bindings = append(raw.Bindings, iisconfig.RawBinding{Protocol: xb.Protocol, Information: xb.Info})
		}
		// Bindings of protocols no lab service runs (net.tcp, net.pipe...) are skipped.
		bindings, err := raw.ServedBindings()
		if err != nil {
			return nil, err
		}
		// An address the lab cannot listen on is not an error here: Start leaves that
		// site Stopped with a warning (allowAddress).
		s := newSite(x.Name, id, bindings, autoStart)
		for _, o := range sites {
			for _, t := range s.types {
				if o.serves(t) && o.id == id {
					return nil, fmt.Errorf("site %q: id %d is already used by site %q", x.Name, id, o.name)
				}
			}
		}
		sites = append(sites, s)
	}
	return sites, nil
}

// defaultPools are the pools of the host of CLI.md's table: DefaultAppPool, Started.
func defaultPools() []*pool { return []*pool{newPool(defaultPoolName, true)} }

// defaultSites is the host of CLI.md's table, used without --config; the default web
// site's root application runs in DefaultAppPool.
func defaultSites() []*site {
	must := func(s string) resource.Binding {
		b, err := resource.ParseBinding(s)
		if err != nil {
			// The table below is constant; a parse failure is a bug caught by the tests.
			return resource.Binding{}
		}
		return b
	}
	www := newSite("Default Web Site", 1, []resource.Binding{must("http/127.0.0.1:8080:")}, true)
	www.pools = []string{defaultPoolName}
	return []*site{
		www,
		newSite("Default FTP Site", 2, []resource.Binding{must("ftp/127.0.0.1:2121:")}, true),
		newSite("Default SMTP Virtual Server", 1, []resource.Binding{must("smtp/127.0.0.1:2525:")}, true),
	}
}
