package doctor

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/labhost"
	"github.com/iiskit/iiskit/internal/platform"
	"github.com/iiskit/iiskit/internal/resource"
)

// opened is a platform as doctor uses it.
type opened struct {
	host      platform.Host
	inspector Inspector
	exerciser Exerciser // nil where the platform cannot create sites
}

// openPlatform builds the platform named by --platform.
func openPlatform(ctx context.Context, name, lab string) (opened, error) {
	switch name {
	case "lab":
		c, err := labhost.New(ctx, lab)
		if err != nil {
			if errors.Is(err, labapi.ErrBadURL) {
				return opened{}, fmt.Errorf("%w: --lab: %w", errBadInput, err)
			}
			return opened{}, fmt.Errorf("the lab host at %s: %w", lab, err)
		}
		api, err := labapi.NewClient(lab)
		if err != nil {
			return opened{}, fmt.Errorf("%w: --lab: %w", errBadInput, err)
		}
		return opened{host: c, inspector: labInspector{c, lab}, exerciser: labExerciser{api}}, nil
	case "windows":
		return openWindows(ctx)
	}
	return opened{}, fmt.Errorf("%w: --platform %q: want windows or lab", errBadInput, name)
}

// labInspector reads the lab host through its API, the one way it has.
type labInspector struct {
	host platform.Host
	url  string
}

func (l labInspector) Facts() [][2]string {
	return [][2]string{{"platform", "lab"}, {"lab", l.url}}
}

func (l labInspector) Readings() []Reading {
	return []Reading{{Name: "lab API", Types: []resource.Type{resource.W3, resource.FTP, resource.SMTP}, List: l.host.ListSites}}
}

func (labInspector) Checks(context.Context) []Check { return nil }

// labExerciser makes --exercise's throwaway site and pool through the lab's API.
type labExerciser struct{ api *labapi.Client }

func (l labExerciser) CreateSelftest(ctx context.Context, site, pool, binding, _ string) error {
	if _, err := l.api.PoolChange(ctx, labapi.PathPoolAdd, labapi.PoolRequest{Name: pool}); err != nil {
		return fmt.Errorf("add pool %q: %w", pool, err)
	}
	if _, err := l.api.Site(ctx, labapi.PathSiteAdd, labapi.SiteRequest{Name: site, Type: "W3", Bindings: []string{"http/" + binding}, Pool: pool, Stopped: true}); err != nil {
		return fmt.Errorf("add site %q: %w", site, err)
	}
	return nil
}

func (l labExerciser) StopPool(ctx context.Context, pool string) error {
	_, err := l.api.PoolChange(ctx, labapi.PathPoolState, labapi.PoolRequest{Name: pool, State: "Stopped"})
	return err
}

// DeleteSelftest deletes the lab's SelftestPrefix sites, then their pools.
func (l labExerciser) DeleteSelftest(ctx context.Context) ([]string, error) {
	st, err := l.api.Status(ctx)
	if err != nil {
		return nil, err
	}
	var gone []string
	for _, s := range st.Sites {
		if strings.HasPrefix(s.Name, SelftestPrefix) {
			if _, err := l.api.Site(ctx, labapi.PathSiteDelete, labapi.SiteRequest{Name: s.Name}); err != nil {
				return gone, fmt.Errorf("delete site %q: %w", s.Name, err)
			}
			gone = append(gone, s.Name)
		}
	}
	for _, p := range st.Pools {
		if strings.HasPrefix(p.Name, SelftestPrefix) {
			if _, err := l.api.PoolChange(ctx, labapi.PathPoolDelete, labapi.PoolRequest{Name: p.Name}); err != nil {
				return gone, fmt.Errorf("delete pool %q: %w", p.Name, err)
			}
			gone = append(gone, p.Name)
		}
	}
	return gone, nil
}
