package invocation

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/config"
	"github.com/iiskit/iiskit/internal/resource"
)

// Invocation is a resolved request: the resource, read once (its FTP password included),
// the common settings and the action's timing.
type Invocation struct {
	Resource resource.Resource
	Settings Settings
	// Options are the timing: the settings given over the resource file's [defaults];
	// Options.Timeout is the one in force (the action's default when nothing set one).
	Options action.Options
	// Deadline is when the action must end: the timeout counted from the start of the
	// resolution, so reading the files counts against it.
	Deadline time.Time
}

// Resolve turns req into an Invocation: the settings, then the resource file (when one
// is named, by the config setting or $IISKIT_CONFIG), then the resource (inline from
// site and type, else the tag's table in the file) with the options given laid over it,
// validated (SPEC S5), then its FTP password, read once. defaultTimeout is the action's
// default deadline, which also bounds reading the files.
//
// An error is an *Error naming the keys concerned, a *config.DefinitionError, a
// *config.FileError (a file missing here) or an interruption; Classify tells which.
func Resolve(ctx context.Context, req *Request, defaultTimeout time.Duration, getenv func(string) string) (*Invocation, error) {
	start := time.Now()
	inv := &Invocation{}
	if err := resolveSettings(req, getenv, &inv.Settings); err != nil {
		return nil, err
	}
	timeout := defaultTimeout
	if req.Given("timeout") {
		timeout = inv.Settings.Timeout
	}
	loadCtx, cancel := context.WithDeadline(ctx, start.Add(timeout))
	defer cancel()
	var defaults config.Defaults
	res, err := resolveResource(loadCtx, req, inv.Settings.Config, getenv, &defaults)
	if err != nil {
		if loadCtx.Err() != nil {
			// Out of time or signalled, not a bad definition.
			return nil, interruptedError{err}
		}
		return nil, err
	}
	inv.Resource = res

	s := inv.Settings
	o := action.Options{RetryInterval: defaults.RetryInterval, ProbeTimeout: defaults.ProbeTimeout, Timeout: defaults.Timeout}
	if req.Given("retry_interval") {
		o.RetryInterval = s.RetryInterval
	}
	if req.Given("probe_timeout") {
		o.ProbeTimeout = s.ProbeTimeout
	}
	if req.Given("timeout") {
		o.Timeout = s.Timeout
	}
	if o.Timeout <= 0 {
		o.Timeout = defaultTimeout
	}
	inv.Options = o
	inv.Deadline = start.Add(o.Timeout)
	return inv, nil
}

// resolveSettings reads every common setting: the value given, else its default.
func resolveSettings(req *Request, getenv func(string) string, s *Settings) error {
	for i := range SettingTable {
		st := &SettingTable[i]
		v, given := req.Value(st.Key), req.Given(st.Key)
		if !given {
			if st.Kind == resource.Duration {
				continue // zero: the resource file's [defaults], then the action's
			}
			v = st.DefaultValue(getenv)
		}
		if !given && v == "" {
			continue
		}
		if err := st.set(s, v); err != nil {
			return badValue(st.Key, err)
		}
	}
	return nil
}

// resolveResource builds the resource inline, or looks the tag up in the resource file,
// and lays the options given over it; it also fills the file's defaults.
func resolveResource(ctx context.Context, req *Request, configFile string, getenv func(string) string, defaults *config.Defaults) (resource.Resource, error) {
	var res resource.Resource
	tag := req.Value("tag")
	if strings.TrimSpace(tag) == "" {
		return res, badKeys(func(n []string) string { return n[0] + " is required" }, "tag")
	}
	var file *config.File
	if configFile != "" {
		var err error
		if file, err = config.LoadContext(ctx, configFile); err != nil {
			if req.Given("config") {
				return res, badValue("config", err)
			}
			return res, err // from $IISKIT_CONFIG: no setting to name; the message names the file
		}
		*defaults = file.Defaults
	}
	site, typ := req.Value("site"), req.Value("type")
	inline := site != "" || typ != ""
	switch {
	case inline:
		if site == "" || typ == "" {
			return res, badKeys(func(n []string) string {
				return "an inline resource needs both " + n[0] + " and " + n[1]
			}, "site", "type")
		}
	case file != nil:
		r, ok := file.Lookup(tag)
		if !ok {
			return res, fmt.Errorf("tag %q is not defined in %s", tag, file.Path)
		}
		res = r.Resource
	default:
		return res, badKeys(func(n []string) string {
			return "no resource definition: give " + n[0] + " and " + n[1] + ", or " + n[2] + " FILE (or $IISKIT_CONFIG)"
		}, "site", "type", "config")
	}
	for i := range resource.OptionTable {
		o := &resource.OptionTable[i]
		if !req.Given(o.Key) || (o.Key == "tag" && !inline) {
			continue // the file's tag is the tag (the lookup ignores letter case)
		}
		if err := o.Set(&res, req.Values(o.Key)); err != nil {
			return res, badValue(o.Key, err)
		}
	}
	if err := res.Validate(); err != nil {
		return res, definitionError(req, configFile, tag, err)
	}
	if res.Type == resource.FTP && !req.ForRemove {
		pw, err := config.FTPPassword(res.FTP.PasswordFile, getenv)
		if err != nil {
			return res, err
		}
		res.FTP.Password = pw
	}
	return res, nil
}

// definitionError reports the first rule resource.Validate found broken, naming the
// setting that gave the value, or the resource file's key when none did.
func definitionError(req *Request, configFile, tag string, err error) error {
	var fe *resource.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	if !req.Given(fe.Key) && configFile != "" {
		return fmt.Errorf("%s: resource %q: key %s: %s", configFile, tag, fe.Key, fe.Msg)
	}
	return badValue(fe.Key, errors.New(fe.Msg))
}

// ResolveSettings reads only the common settings of req, for a command that does not
// resolve the resource here (a script written for a resource file on other machines).
func ResolveSettings(req *Request, getenv func(string) string) (Settings, error) {
	var s Settings
	err := resolveSettings(req, getenv, &s)
	return s, err
}
