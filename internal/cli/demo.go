//go:build !windows && !iiskit_nolab

package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/iiskit/iiskit/internal/lab"
	"github.com/iiskit/iiskit/internal/lab/labcli"
)

// demoConfig is the embedded host of the demo: an applicationHost.config like the one IIS
// writes, on its own loopback address so it does not clash with a lab host already
// running on the default ports.
const demoConfig = `<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <system.applicationHost>
    <sites>
      <site name="Default Web Site" id="1" serverAutoStart="true">
        <bindings>
          <binding protocol="http" bindingInformation="127.0.0.77:8080:" />
        </bindings>
      </site>
      <site name="Default FTP Site" id="2">
        <bindings>
          <binding protocol="ftp" bindingInformation="127.0.0.77:2121:" />
        </bindings>
      </site>
    </sites>
  </system.applicationHost>
</configuration>
`

// runDemo is a narrated tour of the whole lifecycle on an embedded lab host: restore,
// deepcheck, a fault, quickcheck failing with its event, recover, deepcheck, remove. Every
// step runs the same code a cluster manager's call runs.
func runDemo(ctx context.Context, args []string, s Streams) int {
	if code, done := demoArgs(args, s); done {
		return code
	}
	dir, err := os.MkdirTemp("", "iiskit-demo-")
	if err != nil {
		fmt.Fprintf(s.Stderr, "iiskit demo: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)
	cfg := filepath.Join(dir, "applicationHost.config")
	if err := os.WriteFile(cfg, []byte(demoConfig), 0o600); err != nil {
		fmt.Fprintf(s.Stderr, "iiskit demo: %v\n", err)
		return 1
	}
	srv, err := lab.Start(ctx, lab.Options{Listen: "127.0.0.1:0", ConfigFile: cfg, Hostname: "DEMO-NODE1"})
	if err != nil {
		fmt.Fprintf(s.Stderr, "iiskit demo: cannot start the embedded lab host: %v\n", err)
		return 1
	}
	defer srv.Close()
	if w := srv.Warnings(); len(w) > 0 {
		fmt.Fprintf(s.Stderr, "iiskit demo: the embedded lab host could not open every site (%s); is another demo running?\n", strings.Join(w, "; "))
		return 1
	}

	env := map[string]string{
		"IISKIT_LAB":          srv.URL(),
		"IISKIT_LOCK_DIR":     filepath.Join(dir, "locks"),
		"IISKIT_FTP_PASSWORD": "probe",
	}
	d := &demo{ctx: ctx, out: s, getenv: func(k string) string { return env[k] }}
	d.say("iiskit demo: the whole lifecycle of one protected IIS site, on an embedded lab host.\n" +
		"The lab host (" + srv.URL() + ") emulates a Windows host with IIS: the W3SVC, FTPSVC and\n" +
		"SMTPSVC services and two sites that really listen on 127.0.0.77. It is an emulator for\n" +
		"trying and testing iiskit, not IIS. Events appear as a cluster manager's log shows them.")

	www := []string{"--tag", "iis-www1", "--site", "Default Web Site", "--type", "W3", "--retry-interval", "200ms", "--probe-timeout", "1s"}
	steps := []struct {
		say  string
		args []string
		want int
	}{
		{"This node is the standby: IIS's web service is stopped here.", []string{"lab", "service", "W3SVC", "state", "Stopped"}, 0},
		{"The cluster manager brings the resource into service (restore): iiskit starts W3SVC,\nchecks that no other started site holds the binding, starts the site and confirms it.", append([]string{"restore"}, www...), 0},
		{"It then monitors it. A deep check asks the site for a page over HTTP.", append([]string{"deepcheck"}, www...), 0},
		{"The FTP site's deep check logs in and needs a \"230 \" reply (the password comes from\n$IISKIT_FTP_PASSWORD, never from the command line).",
			[]string{"deepcheck", "--tag", "iis-ftp1", "--site", "Default FTP Site", "--type", "FTP", "--ftp-user", "probe"}, 0},
		{"A fault: the site keeps its connections open but stops answering.", []string{"lab", "site", "Default Web Site", "respond", "hang"}, 0},
		{"The deep check notices within its probe timeout: event 9759.", append([]string{"deepcheck"}, www...), 1},
		{"The administrator repairs the application.", []string{"lab", "site", "Default Web Site", "respond", "ok"}, 0},
		{"A worse fault: someone stops the web service.", []string{"lab", "service", "W3SVC", "state", "Stopped"}, 0},
		{"The next quick check fails with event 9705.", append([]string{"quickcheck"}, www...), 1},
		{"The cluster manager tries a local recovery: iiskit starts W3SVC and waits for IIS to\nstart the site again.", append([]string{"recover"}, www...), 0},
		{"Monitoring is green again.", append([]string{"deepcheck"}, www...), 0},
		{"Switch-over: the resource is taken out of service on this node (remove).", append([]string{"remove"}, www...), 0},
		{"A quick check now reports the stopped site with event 9704.", append([]string{"quickcheck"}, www...), 1},
	}
	failed := 0
	for _, st := range steps {
		d.say(st.say)
		if got := d.run(st.args); got != st.want {
			fmt.Fprintf(s.Stdout, "   (expected exit %d)\n", st.want)
			failed++
		}
	}
	if failed > 0 {
		fmt.Fprintf(s.Stdout, "\nThe demo did not go as expected in %d step(s).\n", failed)
		return 1
	}
	fmt.Fprintln(s.Stdout, "\nThat is the lifecycle. `iiskit messages` lists every event; README.md shows how a\ncluster manager calls iiskit.")
	return 0
}

type demo struct {
	ctx    context.Context
	out    Streams
	getenv func(string) string
}

func (d *demo) say(text string) {
	fmt.Fprintf(d.out.Stdout, "\n%s\n", text)
}

// run shows a command as an administrator would type it, runs it in this process and
// shows its exit status.
func (d *demo) run(args []string) int {
	quoted := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, " \"'$") {
			a = `"` + strings.ReplaceAll(a, `"`, `\"`) + `"`
		}
		quoted[i] = a
	}
	fmt.Fprintf(d.out.Stdout, "  $ iiskit %s\n", strings.Join(quoted, " "))
	w := &indent{w: d.out.Stdout}
	s := Streams{Getenv: d.getenv, Stdout: w, Stderr: w}
	ctx, cancel := context.WithTimeout(d.ctx, 2*time.Minute)
	defer cancel()
	var code int
	if args[0] == "lab" {
		code = labcli.Main(ctx, args[1:], d.getenv, w, w)
	} else {
		code = Main(ctx, args, s)
	}
	fmt.Fprintf(d.out.Stdout, "    → exit %d\n", code)
	return code
}
