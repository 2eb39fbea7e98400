package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/iiskit/iiskit/internal/config"
	"github.com/iiskit/iiskit/internal/lock"
	"github.com/iiskit/iiskit/internal/resource"
	"github.com/iiskit/iiskit/internal/usage"
)

// Streams are the command's environment.
type Streams struct {
	Getenv func(string) string
	Stdout io.Writer
	Stderr io.Writer
}

// Defaults the command line does not carry: the platform used without --platform and
// the lab's address without --lab or $IISKIT_LAB (the command line's own).
type Defaults struct {
	Platform string
	LabURL   string
}

type tags []string

func (t *tags) String() string     { return strings.Join(*t, ",") }
func (t *tags) Set(s string) error { *t = append(*t, s); return nil }

// Help is the help of `iiskit doctor`; Main adds its flags.
var Help = &usage.Command{
	Name:    "doctor",
	Summary: "the read-only preflight of a node: every way of reading IIS compared, services, lock folder, each resource resolved",
	Usage:   []string{"iiskit doctor [--config FILE | --tag TAG --site NAME --type TYPE] [--json] [--exercise]"},
	Text: "It starts, stops and writes nothing (but --exercise, which adds a throwaway site and pool,\n" +
		"runs the actions on them and deletes them). Exit status: 0 sound, 1 something needs\n" +
		"attention (each finding says what to do), 2 bad input (nothing was read).",
	Examples: []string{"iiskit doctor --config /etc/iiskit/resources.toml", "iiskit doctor --json"},
}

// Main runs `iiskit doctor` (args without the command name) and returns its exit status:
// 0 all is well, 1 something needs attention, 2 bad input (nothing was read).
func Main(ctx context.Context, args []string, s Streams, d Defaults) int {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	var (
		tagList                     tags
		configFile, site, typ, plat string
		lab                         string
		asJSON, exercise            bool
		timeout                     time.Duration
	)
	fs.StringVar(&configFile, "config", s.Getenv("IISKIT_CONFIG"), "resource file (TOML) whose resources are resolved; default $IISKIT_CONFIG")
	fs.Var(&tagList, "tag", "resolve only the resource `TAG` (repeatable); with --site and --type, the inline one")
	fs.StringVar(&site, "site", "", "IIS site name of the inline resource (with --tag and --type)")
	fs.StringVar(&typ, "type", "", "service type of the inline resource: W3, FTP or SMTP")
	fs.StringVar(&plat, "platform", d.Platform, "windows or lab")
	labDefault := d.LabURL
	if v := s.Getenv("IISKIT_LAB"); v != "" {
		labDefault = v
	}
	fs.StringVar(&lab, "lab", labDefault, "the lab host's control address; default $IISKIT_LAB")
	fs.BoolVar(&asJSON, "json", false, "print one JSON object instead of text")
	fs.BoolVar(&exercise, "exercise", false, "also create a throwaway site and pool, run the actions on them and delete them")
	fs.DurationVar(&timeout, "timeout", 2*time.Minute, "the whole run's deadline (a `duration`)")
	help := *Help
	help.Flags = []usage.Group{{Title: "Flags", Flags: usage.Flags(fs,
		"config", "tag", "site", "type", "platform", "lab", "json", "exercise", "timeout")}}
	if err := help.Parse(fs, args, s.Stdout, s.Stderr); err != nil {
		return usage.Status(err)
	}
	bad := func(format string, a ...any) int {
		fmt.Fprintf(s.Stderr, "iiskit doctor: "+format+" (nothing was read)\n", a...)
		return 2
	}
	if fs.NArg() > 0 {
		return usage.Status(help.Fail(s.Stderr, fmt.Errorf("unexpected argument %q (every setting is a flag; nothing was read)", fs.Arg(0))))
	}
	if timeout <= 0 {
		return usage.Status(help.Fail(s.Stderr, errors.New("--timeout must be longer than zero (nothing was read)")))
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	resources, err := pickResources(ctx, configFile, tagList, site, typ)
	if err != nil {
		return bad("%v", err)
	}
	p, err := openPlatform(ctx, plat, lab)
	if err != nil {
		if errors.Is(err, errBadInput) {
			return bad("%v", err)
		}
		fmt.Fprintf(s.Stderr, "iiskit doctor: %v\n", err)
		return 1
	}
	env := Env{Host: p.host, Inspector: p.inspector, Resources: resources, LockDir: lock.Dir(s.Getenv), CheckLockDir: lock.CheckFolder}
	r := Run(ctx, env)
	if exercise {
		r.Checks = append(r.Checks, Exercise(ctx, p.host, p.exerciser, s.Getenv)...)
	}
	if asJSON {
		enc := json.NewEncoder(s.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			fmt.Fprintf(s.Stderr, "iiskit doctor: %v\n", err)
			return 1
		}
	} else {
		WriteText(s.Stdout, r)
	}
	if !r.OK() {
		return 1
	}
	return 0
}

// errBadInput marks a platform name or address that is wrong on the command line.
var errBadInput = errors.New("bad input")

// pickResources reads the resource file (if any), keeps the --tag ones, or builds the
// inline resource from --tag, --site and --type.
func pickResources(ctx context.Context, file string, tagList []string, site, typ string) ([]resource.Resource, error) {
	if site != "" || typ != "" {
		if len(tagList) != 1 || site == "" || typ == "" {
			return nil, errors.New("an inline resource needs exactly one --tag, with --site and --type")
		}
		t, err := resource.ParseType(typ)
		if err != nil {
			return nil, fmt.Errorf("--type: %w", err)
		}
		r := resource.Resource{Tag: tagList[0], Site: site, Type: t}
		if err := r.Validate(); err != nil {
			return nil, err
		}
		return []resource.Resource{r}, nil
	}
	if file == "" {
		if len(tagList) > 0 {
			return nil, errors.New("--tag needs --config (or --site and --type)")
		}
		return nil, nil
	}
	f, err := config.LoadContext(ctx, file)
	if err != nil {
		return nil, fmt.Errorf("--config: %w", err)
	}
	var out []resource.Resource
	for _, r := range f.Resources {
		if len(tagList) == 0 || slices.ContainsFunc(tagList, func(t string) bool { return strings.EqualFold(t, r.Tag) }) {
			out = append(out, r.Resource)
		}
	}
	for _, t := range tagList {
		if !slices.ContainsFunc(out, func(r resource.Resource) bool { return strings.EqualFold(t, r.Tag) }) {
			return nil, fmt.Errorf("--tag %q: no such resource in %s", t, file)
		}
	}
	return out, nil
}

// WriteText prints the report for a person: the host, each check (failures with what to
// do), the sites as each reading saw them, and a summary line.
func WriteText(w io.Writer, r Report) {
	fmt.Fprintf(w, "iiskit doctor on %s (%s)\n", r.Host["hostname"], r.Host["platform"])
	keys := make([]string, 0, len(r.Host))
	for k := range r.Host {
		if k != "hostname" && k != "platform" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  %s: %s\n", k, r.Host[k])
	}
	bad := 0
	for _, c := range r.Checks {
		mark := "ok  "
		if !c.OK {
			mark = "FAIL"
			bad++
		}
		fmt.Fprintf(w, "%s %s: %s (%.1f ms)\n", mark, c.Name, c.Detail, c.MS)
	}
	if len(r.Sites) > 0 {
		fmt.Fprintln(w, "sites:")
	}
	for _, s := range r.Sites {
		var states []string
		for k, v := range s.States {
			states = append(states, k+" "+v)
		}
		slices.Sort(states)
		fmt.Fprintf(w, "  %-4s %q (id %d): %s; %s\n", s.Type, s.Name, s.ID, strings.Join(states, ", "), orNone(s.Bindings))
	}
	if bad == 0 {
		fmt.Fprintf(w, "%d checks, all passed\n", len(r.Checks))
	} else {
		fmt.Fprintf(w, "%d checks, %d need attention\n", len(r.Checks), bad)
	}
}
