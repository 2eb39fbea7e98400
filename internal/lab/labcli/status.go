package labcli

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/iiskit/iiskit/internal/lab/labapi"
	"github.com/iiskit/iiskit/internal/resource"
)

// status runs `status [--json]`.
func (r *runner) status(a args) int {
	if len(a.pos) != 0 {
		return r.usageError(errors.New("status takes no arguments"))
	}
	c, err := r.client(a)
	if err != nil {
		return r.usageError(err)
	}
	defer c.Close()
	st, err := c.Status(r.ctx)
	if err != nil {
		return r.fail(err)
	}
	if a.bools["json"] {
		enc := json.NewEncoder(r.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(st); err != nil {
			fmt.Fprintf(r.stderr, "iiskit lab: writing status: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	writeStatus(r, st)
	return exitOK
}

// writeStatus prints the host as two aligned tables.
func writeStatus(r *runner, st labapi.Status) {
	fmt.Fprintf(r.stdout, "lab host %s\n\n", st.Hostname)
	tw := tabwriter.NewWriter(r.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SERVICE\tTYPE\tSTATE\tON-START\tPENDING")
	for _, s := range st.Services {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\n", s.Name, s.Type, labapi.ServiceStateWord(s.State), s.OnStart, s.Pending)
	}
	tw.Flush()
	fmt.Fprintln(r.stdout)
	tw = tabwriter.NewWriter(r.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SITE\tTYPE\tID\tSTATE\tBINDINGS\tAUTOSTART\tON-START\tON-STOP\tRESPOND")
	for _, s := range st.Sites {
		fmt.Fprintf(tw, "%q\t%s\t%d\t%s\t%s\t%t\t%s\t%s\t%s\n", s.Name, strings.Join(s.Types, ","), s.ID, siteState(s),
			strings.Join(s.Bindings, " "), s.AutoStart, s.OnStart, s.OnStop, s.Respond)
	}
	tw.Flush()
	if len(st.Pools) > 0 {
		fmt.Fprintln(r.stdout)
		tw = tabwriter.NewWriter(r.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "POOL\tSTATE\tAUTOSTART\tON-START\tRAPID-FAIL\tFAILURES\tSITES")
		for _, p := range st.Pools {
			rf := "off"
			if p.RapidFail {
				rf = fmt.Sprintf("%d in %v", p.MaxCrashes, p.Interval)
			}
			fmt.Fprintf(tw, "%q\t%s\t%t\t%s\t%s\t%d\t%s\n", p.Name, p.State, p.AutoStart, p.OnStart, rf, p.Failures, quoteAll(p.Sites))
		}
		tw.Flush()
	}
	for _, s := range st.Sites {
		if s.LastError != "" {
			fmt.Fprintf(r.stdout, "site %q did not start: %s\n", s.Name, s.LastError)
		}
	}
}

// siteState is a site's state, or each type's for a site of several types (W3:Started
// FTP:Stopped).
func siteState(s labapi.Site) string {
	if len(s.States) == 0 {
		return s.State.String()
	}
	var parts []string
	for _, name := range s.Types {
		if t, err := resource.ParseType(name); err == nil {
			if st, ok := s.States[t]; ok {
				parts = append(parts, name+":"+st.String())
			}
		}
	}
	return strings.Join(parts, " ")
}

// quoteAll quotes each name, space-separated.
func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, " ")
}
