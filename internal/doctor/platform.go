package doctor

import (
	"context"
	"errors"
	"fmt"

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
		return opened{host: c, inspector: labInspector{c, lab}}, nil
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
