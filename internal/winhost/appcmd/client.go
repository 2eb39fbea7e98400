package appcmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/iiskit/iiskit/internal/iisconfig"
)

// Client makes iiskit's appcmd requests, one process each.
type Client struct {
	// Path is appcmd.exe's full path; it is never looked up on PATH, where it is not.
	Path   string
	Runner Runner
}

// ListSites returns every site, with ids, bindings and states, from one appcmd process.
func (c *Client) ListSites(ctx context.Context) ([]iisconfig.Site, error) {
	args := ListSitesArgs()
	out, err := c.run(ctx, args)
	if err != nil {
		return nil, err
	}
	sites, err := ParseXML(out.Stdout)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Args, e.ExitCode = args, out.ExitCode
		}
		return nil, fmt.Errorf("list IIS sites: %w", err)
	}
	return sites, nil
}

// StartSite asks WAS to start the site named name. A site that is already started is not
// an error; a missing site is an *Error matching ErrNotFound and platform.ErrNoSite.
func (c *Client) StartSite(ctx context.Context, name string) error {
	return c.change(ctx, StartSiteArgs(name), "start")
}

// StopSite asks WAS to stop the site named name, like StartSite.
func (c *Client) StopSite(ctx context.Context, name string) error {
	return c.change(ctx, StopSiteArgs(name), "stop")
}

func (c *Client) change(ctx context.Context, args []string, verb string) error {
	out, err := c.run(ctx, args)
	if err != nil {
		return err
	}
	if err := CheckOutput(args, out); err != nil {
		if errors.Is(err, ErrAlreadyInState) {
			return nil
		}
		return fmt.Errorf("%s IIS site: %w", verb, err)
	}
	return nil
}

// run starts one appcmd process; only ListSites reads a non-zero exit as a listing
// error, since its output is parsed anyway.
func (c *Client) run(ctx context.Context, args []string) (Output, error) {
	if c.Path == "" || c.Runner == nil {
		return Output{}, errors.New("appcmd client has no path or runner")
	}
	out, err := c.Runner.Run(ctx, c.Path, args)
	if err != nil {
		return Output{}, fmt.Errorf("appcmd %s: %w", args[0], err)
	}
	if args[0] == "list" && out.ExitCode != 0 {
		return Output{}, fmt.Errorf("list IIS sites: %w", CheckOutput(args, out))
	}
	return out, nil
}
