package invocation

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/resource"
)

// DefaultLabURL is the lab host's control address when neither --lab nor $IISKIT_LAB says.
const DefaultLabURL = labapi.DefaultURL

// Settings are the common settings of an action: where the definition is, which platform
// runs it, where its events go and its timing. None is part of the resource.
type Settings struct {
	Config   string
	Platform string
	Lab      string
	JSON     bool
	Events   string
	Verbose  bool
	// RetryInterval, ProbeTimeout and Timeout are the flags' (or parameters') values;
	// zero when not given, so the resource file's [defaults] apply (Invocation.Options).
	RetryInterval, ProbeTimeout, Timeout time.Duration
}

// Setting is one common setting, defined once: its flag, its OCF parameter (empty when
// the agent has none), its kind, default and documentation. It has the shape of a
// resource.Option without the resource.
type Setting struct {
	// Key names the setting in errors; also its [defaults] key where the file has one.
	Key string
	// Flag is the flag, without dashes.
	Flag string
	// Param is the OCF parameter; empty when the agent does not take it as a parameter.
	Param string
	Kind  resource.Kind
	// Default is the value without the flag, as text ("" for none); Env, when set, is an
	// environment variable that overrides it.
	Default string
	Env     string
	// Doc is the one-line documentation; Long the OCF meta-data's longer one.
	Doc, Long string
	// Path marks a file path (a generated script carries it absolute).
	Path bool

	set func(s *Settings, v string) error
}

// SettingTable is every common setting, in help order.
var SettingTable = []Setting{
	{Key: "config", Flag: "config", Param: "config", Kind: resource.String, Env: "IISKIT_CONFIG", Path: true,
		Doc:  "resource file (TOML); default $IISKIT_CONFIG",
		Long: "A resource file (TOML) that defines the tag; site, type and the options may then come from it, and parameters given here override it.",
		set:  func(s *Settings, v string) error { s.Config = v; return nil }},
	{Key: "platform", Flag: "platform", Param: "platform", Kind: resource.Enum, Default: DefaultPlatform,
		Doc:  "windows or lab",
		Long: "windows talks to the service control manager and IIS; lab to an iiskit lab host (an emulator for tests). Default: windows on Windows, lab elsewhere.",
		set:  func(s *Settings, v string) error { s.Platform = v; return nil }},
	{Key: "lab", Flag: "lab", Param: "lab", Kind: resource.String, Default: DefaultLabURL, Env: "IISKIT_LAB",
		Doc:  "the lab host's control address",
		Long: "The lab host's control address (platform lab only).",
		set:  func(s *Settings, v string) error { s.Lab = v; return nil }},
	{Key: "json", Flag: "json", Kind: resource.Bool, Default: "false",
		Doc: "write each event as a JSON line on stdout",
		set: boolSetting(func(s *Settings) *bool { return &s.JSON })},
	{Key: "events", Flag: "events", Kind: resource.String, Path: true,
		Doc: "also append each event as a JSON line to this file",
		set: func(s *Settings, v string) error { s.Events = v; return nil }},
	{Key: "retry_interval", Flag: "retry-interval", Param: "retry_interval", Kind: resource.Duration, Default: action.DefaultRetryInterval.String(),
		Doc:  "time between state reads (a duration)",
		Long: "Time between the reads of a service or site state while it settles, as a Go duration (500ms, 1s, 2m).",
		set:  durationSetting(func(s *Settings) *time.Duration { return &s.RetryInterval })},
	{Key: "probe_timeout", Flag: "probe-timeout", Param: "probe_timeout", Kind: resource.Duration, Default: action.DefaultProbeTimeout.String(),
		Doc:  "timeout of each probe stage (a duration)",
		Long: "Timeout of each stage (connect, request, answer) of the deep check's probes, as a Go duration.",
		set:  durationSetting(func(s *Settings) *time.Duration { return &s.ProbeTimeout })},
	{Key: "timeout", Flag: "timeout", Kind: resource.Duration,
		Doc: "the action's overall deadline (a duration; default 120s, 30s for checks)",
		set: durationSetting(func(s *Settings) *time.Duration { return &s.Timeout })},
	{Key: "verbose", Flag: "verbose", Kind: resource.Bool, Default: "false",
		Doc: "log diagnostics (probe failures, platform errors) on stderr",
		set: boolSetting(func(s *Settings) *bool { return &s.Verbose })},
}

// AddSettingFlags defines on fs the flags of the common settings named by keys, from
// SettingTable as NewFlagSet defines them for an action, for a command that takes only
// some of them beside its own flags (the watch daemon: its resource file, host, sinks and
// diagnostics). Parsing fs fills the returned Request, which ResolveSettings reads. A key
// that names no setting is a programming error, which the command's tests catch: it
// panics.
func AddSettingFlags(fs *flag.FlagSet, getenv func(string) string, keys ...string) *Request {
	req := NewRequest()
	for _, key := range keys {
		st, ok := SettingByKey(key)
		if !ok {
			panic("invocation: no common setting " + key)
		}
		fs.Var(&flagValue{req: req, key: st.Key, kind: st.Kind, def: st.DefaultValue(getenv)}, st.Flag, usageOf(st.Doc, st.Kind))
	}
	return req
}

// SettingByKey returns the common setting named key.
func SettingByKey(key string) (*Setting, bool) {
	for i := range SettingTable {
		if SettingTable[i].Key == key {
			return &SettingTable[i], true
		}
	}
	return nil, false
}

// DefaultValue is the setting's value when it is not given: its environment variable's,
// else its Default.
func (st *Setting) DefaultValue(getenv func(string) string) string {
	if st.Env != "" {
		if v := getenv(st.Env); v != "" {
			return v
		}
	}
	return st.Default
}

func boolSetting(field func(*Settings) *bool) func(*Settings, string) error {
	return func(s *Settings, v string) error {
		b, err := resource.ParseBool(v)
		if err == nil {
			*field(s) = b
		}
		return err
	}
}

func durationSetting(field func(*Settings) *time.Duration) func(*Settings, string) error {
	return func(s *Settings, v string) error {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("invalid value %q: %w", v, err)
		}
		if d <= 0 {
			return errNotPositive
		}
		*field(s) = d
		return nil
	}
}
