package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
)

// runPollSite runs `iiskit pollsite [flags] TYPE IP PORT`; its exit status is the result
// code 0..6 of SPEC D4.6, so a bad argument or flag is 1, never 2 (which means "no
// polling handle").
func runPollSite(ctx context.Context, args []string, s Streams) int {
	var o action.PollOptions
	var expect string
	fs := flag.NewFlagSet("pollsite", flag.ContinueOnError)
	fs.SetOutput(s.Stderr)
	fs.DurationVar(&o.Timeout, "probe-timeout", action.DefaultProbeTimeout, "timeout of each probe stage")
	fs.StringVar(&o.Host, "host", "", "HTTP Host header and TLS server name")
	fs.BoolVar(&o.TLS, "tls", false, "speak https")
	fs.StringVar(&o.URL, "url", "", "path or URL to request (default /)")
	fs.StringVar(&expect, "expect-status", "", "HTTP statuses that count as an answer, e.g. 200-399")
	fs.StringVar(&o.FTP.User, "ftp-user", "", "FTP user (password from $IISKIT_FTP_PASSWORD); anonymous without it")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return int(probe.BadArgs)
	}
	if expect != "" {
		r, err := resource.ParseStatusRanges(expect)
		if err != nil {
			fmt.Fprintf(s.Stderr, "iiskit pollsite: --expect-status: %v\n", err)
			return int(probe.BadArgs)
		}
		o.ExpectStatus = r
	}
	if err := resource.CheckURL(o.URL); err != nil {
		fmt.Fprintf(s.Stderr, "iiskit pollsite: --url: %v\n", err)
		return int(probe.BadArgs)
	}
	if o.Timeout <= 0 {
		fmt.Fprintln(s.Stderr, "iiskit pollsite: --probe-timeout must be longer than zero")
		return int(probe.BadArgs)
	}
	o.FTP.Password = resource.Secret(s.Getenv("IISKIT_FTP_PASSWORD"))
	res := action.PollSite(ctx, probe.Net{}, fs.Args(), o)
	line := fmt.Sprintf("pollsite %s: %d (%s)", strings.Join(fs.Args(), " "), res.Code, res.Code)
	if res.Status != 0 {
		line += fmt.Sprintf(", HTTP %d", res.Status)
	}
	if res.Err != nil {
		line += ": " + res.Err.Error()
	}
	if res.Code == probe.OK {
		fmt.Fprintln(s.Stdout, line)
	} else {
		fmt.Fprintln(s.Stderr, line)
	}
	return int(res.Code)
}
