// Package labcli is the `iiskit lab ...` command line: `serve` runs a lab host in this
// process, the other verbs control a running one through its API (CLI.md, "The lab host").
package labcli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/iiskit/iiskit/internal/lab"
	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/usage"
)

// Exit statuses of the lab verbs.
const (
	exitOK      = 0
	exitFailure = 1 // the host is unreachable or could not do it
	exitUsage   = 2 // a bad request: usage, unknown verb or site, malformed binding
)

// labFlag is --lab, which every control verb takes.
var labFlag = usage.Flag{Name: "lab", Arg: "URL", Doc: "the lab host's control address", Default: "$IISKIT_LAB, else " + labapi.DefaultURL}

// verb is one `iiskit lab` verb: its help (whose flags are the ones it parses) and its run.
type verb struct {
	help *usage.Command
	run  func(r *runner, a args) int
}

// verbs are the lab's verbs, in help order: the dispatcher, the help and the flags each
// verb accepts are this one table.
var verbs = []verb{
	{help: &usage.Command{
		Name:    "lab serve",
		Summary: "run a lab host (an emulated Windows host with IIS) in this process until stopped",
		Usage:   []string{"iiskit lab serve [--listen ADDR] [--config applicationHost.config] [--hostname NAME] [--addr-file FILE]"},
		Text: "Prints \"iiskit lab host listening on URL\" once its control API listens; SIGINT or\n" +
			"SIGTERM stops it. Without --config it holds the default host (docs/reference/cli.md).",
		Flags: []usage.Group{{Title: "Flags", Flags: []usage.Flag{
			{Name: "listen", Arg: "ADDR", Doc: "the control API's address, on loopback (port 0: any)", Default: lab.DefaultListen},
			{Name: "config", Arg: "FILE", Doc: "an applicationHost.config whose sites and pools the host emulates"},
			{Name: "hostname", Arg: "NAME", Doc: "the emulated host's name"},
			{Name: "addr-file", Arg: "FILE", Doc: "write the control URL to FILE once listening"},
		}}},
		Examples: []string{"iiskit lab serve", "iiskit lab serve --config applicationHost.config --listen 127.0.0.1:0 --addr-file lab.url"},
	}, run: (*runner).serve},
	{help: &usage.Command{
		Name:    "lab status",
		Summary: "print a running lab host's services, sites and application pools",
		Usage:   []string{"iiskit lab status [--json]"},
		Flags: []usage.Group{{Title: "Flags", Flags: []usage.Flag{
			{Name: "json", Doc: "the status as JSON"}, labFlag,
		}}},
		Examples: []string{"iiskit lab status", "iiskit lab status --json --lab http://127.0.0.1:7780"},
	}, run: (*runner).status},
	{help: &usage.Command{
		Name:    "lab service",
		Summary: "set or drive an emulated Windows service (W3SVC, FTPSVC, SMTPSVC)",
		Usage: []string{
			"iiskit lab service NAME state|on-start|pending|start|stop|continue [ARG]",
			"iiskit lab service NAME state Stopped|StartPending|StopPending|Running|ContinuePending|PausePending|Paused",
			"iiskit lab service NAME on-start ok|fail|hang",
			"iiskit lab service NAME pending DURATION",
			"iiskit lab service NAME start|stop|continue",
		},
		Flags: []usage.Group{{Title: "Flags", Flags: []usage.Flag{labFlag}}},
		Examples: []string{
			"iiskit lab service W3SVC on-start hang   # the next start request never finishes",
			"iiskit lab service W3SVC pending 2s      # start/stop/continue requests stay pending 2 s",
		},
	}, run: (*runner).service},
	{help: &usage.Command{
		Name:    "lab site",
		Summary: "add, delete, set or fault an emulated IIS site",
		Usage: []string{
			"iiskit lab site NAME add|delete|state|on-start|on-stop|respond [ARG] [flags]",
			"iiskit lab site NAME add --type W3|FTP|SMTP --binding BINDING [--binding ...] [--id N] [--stopped] [--pool NAME]",
			"iiskit lab site NAME delete",
			"iiskit lab site NAME state Started|Starting|Stopped|Stopping|Unknown [--type W3|FTP|SMTP]",
			"iiskit lab site NAME on-start ok|ignore",
			"iiskit lab site NAME on-stop ok|ignore",
			"iiskit lab site NAME respond ok|hang|refuse|http-500|ftp-deny",
		},
		Flags: []usage.Group{{Title: "Flags", Flags: []usage.Flag{
			{Name: "type", Arg: "W3|FTP|SMTP", Doc: "add: the site's type; state: which type's state, on a W3+FTP site"},
			{Name: "binding", Arg: "BINDING", Doc: "add: a binding, protocol/IP:Port:HostHeader (repeat the flag for each)"},
			{Name: "id", Arg: "N", Doc: "add: the site's id (default: the next free one)"},
			{Name: "stopped", Doc: "add: the site is added Stopped"},
			{Name: "pool", Arg: "NAME", Doc: "add: the W3 site's application pool (default DefaultAppPool where the host has one)"},
			labFlag,
		}}},
		Examples: []string{
			`iiskit lab site "Default Web Site" respond hang   # accepts connections, never answers`,
			`iiskit lab site Shop add --type W3 --binding http/127.0.0.1:8081:`,
		},
	}, run: (*runner).site},
	{help: &usage.Command{
		Name:    "lab pool",
		Summary: "add, set or crash an emulated application pool",
		Usage: []string{
			"iiskit lab pool NAME add|state|on-start|crash [ARG] [--stopped]",
			"iiskit lab pool NAME add [--stopped]",
			"iiskit lab pool NAME state Started|Starting|Stopped|Stopping|Unknown",
			"iiskit lab pool NAME on-start ok|ignore",
			"iiskit lab pool NAME crash [N]",
		},
		Flags: []usage.Group{{Title: "Flags", Flags: []usage.Flag{
			{Name: "stopped", Doc: "add: the pool is added Stopped"}, labFlag,
		}}},
		Examples: []string{"iiskit lab pool DefaultAppPool crash 5   # rapid-fail protection stops the pool"},
	}, run: (*runner).pool},
	{help: &usage.Command{
		Name:     "lab listings",
		Summary:  "make the next N site listings fail (every one without N, until ok), as appcmd failing does",
		Usage:    []string{"iiskit lab listings fail [N] | ok"},
		Flags:    []usage.Group{{Title: "Flags", Flags: []usage.Flag{labFlag}}},
		Examples: []string{"iiskit lab listings fail 1", "iiskit lab listings ok"},
	}, run: (*runner).listings},
}

// Verbs are the lab's verbs, in help order.
func Verbs() []string {
	out := make([]string, len(verbs))
	for i, v := range verbs {
		out[i] = strings.TrimPrefix(v.help.Name, "lab ")
	}
	return out
}

// Help is the help of `iiskit lab`.
func Help() *usage.Command {
	subs := make([]*usage.Command, len(verbs))
	for i, v := range verbs {
		subs[i] = v.help
	}
	h := usage.Family("lab", "the lab host, an emulator of a Windows host with IIS for trying and testing iiskit", subs,
		"iiskit lab serve", `iiskit lab site "Default Web Site" respond hang`)
	h.Text += "\nThe control verbs take --lab URL (default $IISKIT_LAB, else " + labapi.DefaultURL + "); they exit 0\n" +
		"on success, 2 on a bad request and 1 when the lab host cannot be reached."
	return h
}

// Main runs `iiskit lab ARGS...` (args start after "lab") and returns the exit status.
func Main(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	r := &runner{ctx: ctx, getenv: getenv, stdout: stdout, stderr: stderr, help: Help()}
	// --lab may also come before the verb; it is handed on to the verb's own flags.
	var lead []string
	for len(args) > 0 && (args[0] == "--lab" || strings.HasPrefix(args[0], "--lab=")) {
		n := 1
		if args[0] == "--lab" {
			n = 2
		}
		if len(args) < n {
			return r.usageError(errors.New("flag --lab needs a value"))
		}
		lead, args = append(lead, args[:n]...), args[n:]
	}
	if len(args) == 0 {
		return r.usageError(errors.New("a verb is required"))
	}
	if len(lead) > 0 {
		args = append(append([]string(nil), args...), lead...)
	}
	if args[0] == "help" || usage.IsHelp(args[0]) {
		r.help.Write(stdout)
		return exitOK
	}
	for _, v := range verbs {
		if v.help.Name != "lab "+args[0] {
			continue
		}
		r.help = v.help
		if usage.WantsHelp(args[1:]) {
			v.help.Write(stdout)
			return exitOK
		}
		var flags []usage.Flag
		for _, g := range v.help.Flags {
			flags = append(flags, g.Flags...)
		}
		a, err := parseArgs(args[1:], flags)
		if err != nil {
			return r.usageError(err)
		}
		return v.run(r, a)
	}
	return r.usageError(fmt.Errorf("unknown verb %q", args[0]))
}

type runner struct {
	ctx            context.Context
	getenv         func(string) string
	stdout, stderr io.Writer
	// help is the verb's (the lab's before one is known), for its usage errors.
	help *usage.Command
}

// usageError writes err, the verb's synopsis and the pointer at its help.
func (r *runner) usageError(err error) int {
	_ = r.help.Fail(r.stderr, err)
	return exitUsage
}

// client returns a client of the lab host named by --lab, $IISKIT_LAB or the default.
func (r *runner) client(a args) (*labapi.Client, error) {
	def := labapi.DefaultURL
	if r.getenv != nil {
		if v := r.getenv("IISKIT_LAB"); v != "" {
			def = v
		}
	}
	return labapi.NewClient(a.last("lab", def))
}

// fail reports a failed control request: exit 2 when the host found the request bad,
// 1 when it could not be reached or could not do it.
func (r *runner) fail(err error) int {
	fmt.Fprintf(r.stderr, "iiskit lab: %v\n", err)
	var api *labapi.APIError
	if errors.As(err, &api) && api.BadRequest() {
		return exitUsage
	}
	return exitFailure
}

// service runs `service NAME state X`, `service NAME on-start M`, `service NAME pending
// D` and the requests `service NAME start|stop|continue`.
func (r *runner) service(a args) int {
	if len(a.pos) < 2 {
		return r.usageError(errors.New("want: service NAME state STATE | on-start MODE | pending DURATION | start | stop | continue"))
	}
	req := labapi.ServiceRequest{Name: a.pos[0]}
	verb, rest := a.pos[1], a.pos[2:]
	var path string
	want := 1
	switch verb {
	case "state":
		path = labapi.PathServiceState
	case "on-start":
		path = labapi.PathServiceOnStart
	case "pending":
		path = labapi.PathServicePending
	case "start":
		path, want = labapi.PathServiceStart, 0
	case "stop":
		path, want = labapi.PathServiceStop, 0
	case "continue":
		path, want = labapi.PathServiceContinue, 0
	default:
		return r.usageError(fmt.Errorf("unknown service verb %q (want state, on-start, pending, start, stop or continue)", verb))
	}
	if len(rest) != want {
		return r.usageError(fmt.Errorf("service NAME %s takes %d argument(s), got %d", verb, want, len(rest)))
	}
	switch verb {
	case "state":
		req.State = rest[0]
	case "on-start":
		req.Mode = rest[0]
	case "pending":
		req.Pending = rest[0]
	}
	c, err := r.client(a)
	if err != nil {
		return r.usageError(err)
	}
	defer c.Close()
	res, err := c.Service(r.ctx, path, req)
	if err != nil {
		return r.fail(err)
	}
	fmt.Fprintln(r.stdout, res.Message)
	return exitOK
}

// site runs the `site NAME ...` verbs.
func (r *runner) site(a args) int {
	if len(a.pos) < 2 {
		return r.usageError(errors.New("want: site NAME VERB [ARG]"))
	}
	req := labapi.SiteRequest{Name: a.pos[0]}
	verb, rest := a.pos[1], a.pos[2:]
	var path string
	want := 1
	switch verb {
	case "add":
		path, want = labapi.PathSiteAdd, 0
		req.Type, req.Bindings, req.Stopped, req.Pool = a.last("type", ""), a.vals["binding"], a.bools["stopped"], a.last("pool", "")
		if req.Type == "" || len(req.Bindings) == 0 {
			return r.usageError(errors.New("site NAME add needs --type and at least one --binding"))
		}
		if id := a.last("id", ""); id != "" {
			n, err := strconv.ParseInt(id, 10, 64)
			if err != nil || n <= 0 {
				return r.usageError(fmt.Errorf("--id %q is not a positive number", id))
			}
			req.ID = n
		}
	case "delete":
		path, want = labapi.PathSiteDelete, 0
	case "state":
		path = labapi.PathSiteState
	case "on-start":
		path = labapi.PathSiteOnStart
	case "on-stop":
		path = labapi.PathSiteOnStop
	case "respond":
		path = labapi.PathSiteRespond
	default:
		return r.usageError(fmt.Errorf("unknown site verb %q", verb))
	}
	if len(rest) != want {
		return r.usageError(fmt.Errorf("site NAME %s takes %d argument(s), got %d", verb, want, len(rest)))
	}
	if verb == "state" {
		req.Type = a.last("type", "")
	} else if verb != "add" && len(a.vals["type"]) > 0 {
		return r.usageError(fmt.Errorf("--type belongs to site NAME add and site NAME state, not %s", verb))
	}
	if verb != "add" && (len(a.vals["binding"]) > 0 || len(a.vals["id"]) > 0 || len(a.vals["pool"]) > 0 || a.bools["stopped"]) {
		return r.usageError(fmt.Errorf("--binding, --id, --pool and --stopped belong to site NAME add, not %s", verb))
	}
	if want == 1 {
		if verb == "state" {
			req.State = rest[0]
		} else {
			req.Mode = rest[0]
		}
	}
	c, err := r.client(a)
	if err != nil {
		return r.usageError(err)
	}
	defer c.Close()
	res, err := c.Site(r.ctx, path, req)
	if err != nil {
		return r.fail(err)
	}
	fmt.Fprintln(r.stdout, res.Message)
	return exitOK
}

// listings runs `listings fail [N]` (the next N site listings fail, every one without N)
// and `listings ok`.
func (r *runner) listings(a args) int {
	var req labapi.ListingsRequest
	switch {
	case len(a.pos) == 1 && a.pos[0] == "ok":
		req.Mode = "ok"
	case len(a.pos) == 1 && a.pos[0] == "fail":
		req.Mode = "fail"
	case len(a.pos) == 2 && a.pos[0] == "fail":
		n, err := strconv.Atoi(a.pos[1])
		if err != nil || n <= 0 {
			return r.usageError(fmt.Errorf("listings fail %q: N is a positive number", a.pos[1]))
		}
		req.Mode, req.Count = "fail", n
	default:
		return r.usageError(errors.New("want: listings fail [N] | listings ok"))
	}
	c, err := r.client(a)
	if err != nil {
		return r.usageError(err)
	}
	defer c.Close()
	var res labapi.Result
	if err := c.Do(r.ctx, http.MethodPost, labapi.PathListings, nil, req, &res); err != nil {
		return r.fail(err)
	}
	fmt.Fprintln(r.stdout, res.Message)
	return exitOK
}

// pool runs the `pool NAME ...` verbs: add [--stopped], state STATE, on-start MODE and
// crash [N].
func (r *runner) pool(a args) int {
	if len(a.pos) < 2 {
		return r.usageError(errors.New("want: pool NAME add [--stopped] | state STATE | on-start ok|ignore | crash [N]"))
	}
	req := labapi.PoolRequest{Name: a.pos[0]}
	verb, rest := a.pos[1], a.pos[2:]
	var path string
	switch verb {
	case "add":
		path = labapi.PathPoolAdd
		if len(rest) != 0 {
			return r.usageError(fmt.Errorf("pool NAME add takes no argument, got %d", len(rest)))
		}
		req.Stopped = a.bools["stopped"]
	case "state", "on-start":
		path = map[string]string{"state": labapi.PathPoolState, "on-start": labapi.PathPoolOnStart}[verb]
		if len(rest) != 1 {
			return r.usageError(fmt.Errorf("pool NAME %s takes 1 argument, got %d", verb, len(rest)))
		}
		if verb == "state" {
			req.State = rest[0]
		} else {
			req.Mode = rest[0]
		}
	case "crash":
		path, req.Count = labapi.PathPoolCrash, 1
		if len(rest) > 1 {
			return r.usageError(fmt.Errorf("pool NAME crash takes at most 1 argument, got %d", len(rest)))
		}
		if len(rest) == 1 {
			n, err := strconv.Atoi(rest[0])
			if err != nil || n < 1 {
				return r.usageError(fmt.Errorf("crash count %q is not a positive number", rest[0]))
			}
			req.Count = n
		}
	default:
		return r.usageError(fmt.Errorf("unknown pool verb %q (want add, state, on-start or crash)", verb))
	}
	if verb != "add" && a.bools["stopped"] {
		return r.usageError(fmt.Errorf("--stopped belongs to pool NAME add, not %s", verb))
	}
	c, err := r.client(a)
	if err != nil {
		return r.usageError(err)
	}
	defer c.Close()
	res, err := c.PoolChange(r.ctx, path, req)
	if err != nil {
		return r.fail(err)
	}
	fmt.Fprintln(r.stdout, res.Message)
	return exitOK
}
