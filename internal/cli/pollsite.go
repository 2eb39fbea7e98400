package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/iiskit/iiskit/internal/action"
	"github.com/iiskit/iiskit/internal/probe"
	"github.com/iiskit/iiskit/internal/resource"
	"github.com/iiskit/iiskit/internal/usage"
)

// pollSiteHelp is `iiskit pollsite -h`; its flags are the flag set's.
var pollSiteHelp = &usage.Command{
	Name:    "pollsite",
	Summary: "probe IP:PORT as the original kit's pollsite does; the exit status is its result (rule D4.6)",
	Usage:   []string{"iiskit pollsite [flags] TYPE IP PORT"},
	Text: `TYPE is W3, FTP or SMTP (or an alias). Exit status (rule D4.6):
  0  success
  1  wrong arguments or flags
  2  no handle could be created for polling
  3  no connection to the FTP site, or it did not answer
  4  no connection to the HTTP site; SMTP: no connection to the SMTP server
  5  no HTTP request could be created
  6  the HTTP site did not answer the request; SMTP: no valid greeting, EHLO or QUIT answer
D4.6 defines codes for HTTP and FTP only; that SMTP takes the numbers of the same HTTP
failures (4, 6) is iiskit's choice.`,
	Examples: []string{
		"iiskit pollsite W3 127.0.0.1 8080",
		"IISKIT_FTP_PASSWORD=probe iiskit pollsite --ftp-user probe FTP 127.0.0.1 2121",
	},
}

// runPollSite runs `iiskit pollsite [flags] TYPE IP PORT`; its exit status is the result
// code 0..6 of SPEC D4.6, so a bad argument or flag is 1, never 2 (which means "no
// polling handle").
func runPollSite(ctx context.Context, args []string, s Streams) int {
	var o action.PollOptions
	var expect string
	fs := flag.NewFlagSet("pollsite", flag.ContinueOnError)
	fs.DurationVar(&o.Timeout, "probe-timeout", action.DefaultProbeTimeout, "timeout of each probe stage")
	fs.StringVar(&o.Host, "host", "", "HTTP Host header and TLS server name")
	fs.BoolVar(&o.TLS, "tls", false, "speak https")
	fs.StringVar(&o.URL, "url", "", "path or URL to request (default /)")
	fs.StringVar(&expect, "expect-status", "", "HTTP statuses that count as an answer, e.g. 200-399")
	fs.StringVar(&o.FTP.User, "ftp-user", "", "FTP user (password from $IISKIT_FTP_PASSWORD); anonymous without it")
	help := *pollSiteHelp
	help.Flags = []usage.Group{{Title: "Flags", Flags: usage.Flags(fs, "probe-timeout", "host", "tls", "url", "expect-status", "ftp-user")}}
	if err := help.Parse(fs, args, s.Stdout, s.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return int(probe.BadArgs) // D4.6: a bad flag is 1, never 2
	}
	if expect != "" {
		r, err := resource.ParseStatusRanges(expect)
		if err != nil {
			_ = help.Fail(s.Stderr, fmt.Errorf("--expect-status: %w", err))
			return int(probe.BadArgs)
		}
		o.ExpectStatus = r
	}
	if err := resource.CheckURL(o.URL); err != nil {
		_ = help.Fail(s.Stderr, fmt.Errorf("--url: %w", err))
		return int(probe.BadArgs)
	}
	if o.Timeout <= 0 {
		_ = help.Fail(s.Stderr, errors.New("--probe-timeout must be longer than zero"))
		return int(probe.BadArgs)
	}
	o.FTP.Password = resource.Secret(s.Getenv("IISKIT_FTP_PASSWORD"))
	res := action.PollSite(ctx, probe.Net{}, fs.Args(), o)
	// The label follows the type asked for; a type that does not parse is result 1,
	// whose words are the same for every type.
	var t resource.Type
	if a := fs.Args(); len(a) > 0 {
		t, _ = resource.ParseType(a[0])
	}
	line := fmt.Sprintf("pollsite %s: %d (%s)", strings.Join(fs.Args(), " "), res.Code, res.Code.Label(t))
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
