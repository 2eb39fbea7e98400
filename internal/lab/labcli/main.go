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

	"github.com/iiskit/iiskit/internal/lab/labapi"
)

// Exit statuses of the lab verbs.
const (
	exitOK      = 0
	exitFailure = 1 // the host is unreachable or could not do it
	exitUsage   = 2 // a bad request: usage, unknown verb or site, malformed binding
)

const usage = `usage:
  iiskit lab serve [--listen ADDR] [--config applicationHost.config] [--hostname NAME] [--addr-file FILE]
  iiskit lab status [--json]
  iiskit lab service NAME state Stopped|StartPending|StopPending|Running|ContinuePending|PausePending|Paused
  iiskit lab service NAME on-start ok|fail|hang
  iiskit lab service NAME pending DURATION
  iiskit lab service NAME start|stop|continue
  iiskit lab site NAME add --type W3|FTP|SMTP --binding BINDING [--binding ...] [--id N] [--stopped] [--pool NAME]
  iiskit lab site NAME delete
  iiskit lab site NAME state Started|Starting|Stopped|Stopping|Unknown [--type W3|FTP|SMTP]
  iiskit lab site NAME on-start ok|ignore
  iiskit lab site NAME on-stop ok|ignore
  iiskit lab site NAME respond ok|hang|refuse|http-500|ftp-deny
  iiskit lab listings fail [N] | ok
  iiskit lab pool NAME add [--stopped]
  iiskit lab pool NAME state Started|Starting|Stopped|Stopping|Unknown
  iiskit lab pool NAME on-start ok|ignore
  iiskit lab pool NAME crash [N]
The control verbs take --lab URL (default $IISKIT_LAB, else ` + labapi.DefaultURL + `).
`

// Main runs `iiskit lab ARGS...` (args start after "lab") and returns the exit status.
func Main(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	// --lab may also come before the verb; it is handed on to the verb's own flags.
	var lead []string
	for len(args) > 0 && (args[0] == "--lab" || strings.HasPrefix(args[0], "--lab=")) {
		n := 1
		if args[0] == "--lab" {
			n = 2
		}
		if len(args) < n {
			fmt.Fprintf(stderr, "iiskit lab: flag --lab needs a value\n%s", usage)
			return exitUsage
		}
		lead, args = append(lead, args[:n]...), args[n:]
	}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	if len(lead) > 0 {
		args = append(append([]string(nil), args...), lead...)
	}
	r := &runner{ctx: ctx, getenv: getenv, stdout: stdout, stderr: stderr}
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case "serve":
		return r.serve(args[1:])
	case "status":
		return r.status(args[1:])
	case "service":
		return r.service(args[1:])
	case "site":
		return r.site(args[1:])
	case "listings":
		return r.listings(args[1:])
	case "pool":
		return r.pool(args[1:])
	}
	return r.usageError(fmt.Errorf("unknown verb %q", args[0]))
}

type runner struct {
	ctx            context.Context
	getenv         func(string) string
	stdout, stderr io.Writer
}

func (r *runner) usageError(err error) int {
	fmt.Fprintf(r.stderr, "iiskit lab: %v\n%s", err, usage)
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
func (r *runner) service(argv []string) int {
	a, err := parseArgs(argv, []string{"lab"}, nil)
	if err != nil {
		return r.usageError(err)
	}
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
func (r *runner) site(argv []string) int {
	a, err := parseArgs(argv, []string{"lab", "type", "binding", "id", "pool"}, []string{"stopped"})
	if err != nil {
		return r.usageError(err)
	}
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
func (r *runner) listings(argv []string) int {
	a, err := parseArgs(argv, []string{"lab"}, nil)
	if err != nil {
		return r.usageError(err)
	}
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
func (r *runner) pool(argv []string) int {
	a, err := parseArgs(argv, []string{"lab"}, []string{"stopped"})
	if err != nil {
		return r.usageError(err)
	}
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
