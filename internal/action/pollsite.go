package action

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"time"

	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
)

// PollOptions are pollsite's flags beyond TYPE IP PORT.
type PollOptions struct {
	Timeout      time.Duration
	Host         string // HTTP Host header and TLS server name
	TLS          bool   // https instead of http
	URL          string
	ExpectStatus resource.StatusRanges
	FTP          resource.Credentials // empty user: anonymous
}

// PollSite runs the pollsite check of SPEC D4.6 with the command line's arguments TYPE IP
// PORT and returns its result, whose code is pollsite's exit status. It emits no event:
// the original pollsite is a separate program whose caller turns the code into 9754..9759.
func PollSite(ctx context.Context, p Prober, args []string, o PollOptions) probe.Result {
	t, addr, err := pollArgs(args)
	if err != nil {
		return probe.Result{Code: probe.BadArgs, Err: err}
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultProbeTimeout
	}
	switch t {
	case resource.FTP:
		return p.FTPLogin(ctx, probe.FTPTarget{Addr: addr, User: o.FTP.User, Password: o.FTP.Password, Timeout: o.Timeout})
	case resource.SMTP:
		return p.SMTP(ctx, probe.SMTPTarget{Addr: addr, Timeout: o.Timeout})
	}
	return p.HTTP(ctx, probe.HTTPTarget{Addr: addr, Host: o.Host, TLS: o.TLS, URL: o.URL,
		ExpectStatus: o.ExpectStatus, Timeout: o.Timeout})
}

// pollArgs checks TYPE IP PORT; anything wrong is result 1, as the original's argument
// check.
func pollArgs(args []string) (resource.Type, string, error) {
	if len(args) != 3 {
		return 0, "", fmt.Errorf("pollsite takes 3 arguments, TYPE IP PORT; got %d", len(args))
	}
	t, err := resource.ParseType(args[0])
	if err != nil {
		return 0, "", err
	}
	ip, err := resource.ParseAddr(args[1])
	if err != nil {
		return 0, "", err
	}
	port, err := strconv.ParseUint(args[2], 10, 16)
	if err != nil || port == 0 {
		return 0, "", fmt.Errorf("port %q is not a number from 1 to 65535", args[2])
	}
	return t, netip.AddrPortFrom(ip, uint16(port)).String(), nil
}
