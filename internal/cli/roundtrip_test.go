package cli

import (
	"bufio"
	"context"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/adapter/ocf"
	"github.com/iiskit/iiskit/internal/invocation"
	"github.com/iiskit/iiskit/internal/resource"
)

// roundTripResources are definitions, one per service type, that set every resource
// option to a value other than its default, written out by hand (not from the table).
func roundTripResources(pwFile string) []resource.Resource {
	common := resource.Options{
		URL:                "/health?probe=1",
		ExpectStatus:       resource.StatusRanges{{Min: 200, Max: 399}, {Min: 401, Max: 401}},
		ProbeUnassignedVia: netip.MustParseAddr("127.0.0.9"),
		RecoverStartsSite:  true,
		TLSVerify:          true,
		CertWarnDays:       14,
		StrictSiteState:    true,
	}
	w3, ftp, smtp := common, common, common
	w3.ProbeHostLabel = "health"
	w3.AppPools = []string{"Shop Pool", "Api"}
	ftp.FTPTLS = resource.TLSAuto
	smtp.DeepSMTP = true
	return []resource.Resource{
		{Tag: "rt-w3", Site: "Default Web Site", Type: resource.W3, Options: w3},
		{Tag: "rt-ftp", Site: "Public FTP", Type: resource.FTP, Options: ftp,
			FTP: resource.Credentials{User: "probe", PasswordFile: pwFile, Password: "s3cret"}},
		{Tag: "rt-smtp", Site: "[SMTP Virtual Server #1]", Type: resource.SMTP, Options: smtp},
	}
}

// TestEveryOptionRoundTrips: every resource option, set in the resource file, as flags
// (a bool flag bare), as OCF parameters, through the scripts `lifekeeper scripts` writes
// and through the command lines of the script `wsfc script` writes, resolves to the same
// Resource. An option added to the table without a case here fails the test.
func TestEveryOptionRoundTrips(t *testing.T) { roundTrip(t) }

// TestListOptionRoundTrips: a list-valued option (a TOML array, a flag given once per
// item, an OCF parameter with commas) fits the table with no special case at any entry
// point: expect_status replaced, for this test, by a list of its ranges.
func TestListOptionRoundTrips(t *testing.T) {
	saved := resource.OptionTable
	t.Cleanup(func() { resource.OptionTable = saved })
	table := append([]resource.Option(nil), saved...)
	found := false
	for i, o := range table {
		if o.Key != "expect_status" {
			continue
		}
		found = true
		table[i] = resource.Option{Key: "expect_statuses", Flag: "expect-statuses", Param: "expect_statuses",
			Kind: resource.List, Where: resource.Everywhere, Doc: "HTTP statuses, one range each",
			Parse: func(r *resource.Resource, vals []string) error {
				r.Options.ExpectStatus = nil
				for _, v := range vals {
					if strings.Contains(v, ",") {
						return fmt.Errorf("%q: one range per item", v)
					}
					sr, err := resource.ParseStatusRanges(v)
					if err != nil {
						return err
					}
					r.Options.ExpectStatus = append(r.Options.ExpectStatus, sr...)
				}
				return nil
			},
			Format: func(r resource.Resource) []string {
				var out []string
				for _, sr := range r.Options.ExpectStatus {
					out = append(out, resource.StatusRanges{sr}.String())
				}
				return out
			}}
	}
	if !found {
		t.Fatal("no expect_status option to replace")
	}
	resource.OptionTable = table
	roundTrip(t)
}

func roundTrip(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "ftp password.txt")
	if err := os.WriteFile(pw, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	resources := roundTripResources(pw)
	for _, o := range resource.OptionTable {
		covered := false
		for _, r := range resources {
			covered = covered || len(o.Get(r)) > 0
		}
		if !covered {
			t.Errorf("option %s has no round-trip case", o.Key)
		}
	}
	env := map[string]string{"IISKIT_LOCK_DIR": dir}
	getenv := func(k string) string { return env[k] }

	for _, want := range resources {
		t.Run(want.Type.String(), func(t *testing.T) {
			check := func(entry string, got *invocation.Invocation, err error) {
				t.Helper()
				if err != nil {
					t.Errorf("%s: %v", entry, err)
					return
				}
				if !reflect.DeepEqual(got.Resource, want) {
					t.Errorf("%s resolved\n%#v\nwant\n%#v", entry, got.Resource, want)
				}
			}
			resolveFlags := func(args []string) (*invocation.Invocation, error) {
				s := Streams{Getenv: getenv, Stdout: &strings.Builder{}, Stderr: &strings.Builder{}}
				req, err := invocation.ParseFlags("quickcheck", args, s)
				if err != nil {
					return nil, fmt.Errorf("%q: %w (%s)", args, err, s.Stderr)
				}
				return invocation.Resolve(context.Background(), req, time.Minute, getenv)
			}

			// The resource file.
			file := filepath.Join(t.TempDir(), "r.toml")
			if err := os.WriteFile(file, []byte(tomlOf(want)), 0o600); err != nil {
				t.Fatal(err)
			}
			inv, err := resolveFlags([]string{"--tag", want.Tag, "--config", file})
			check("resource file", inv, err)

			// The flags.
			flags := flagsOf(want)
			inv, err = resolveFlags(flags)
			check("flags", inv, err)

			// The OCF parameters.
			ocfEnv := map[string]string{"OCF_RESOURCE_INSTANCE": "instance"}
			for _, o := range resource.OptionTable {
				if v := o.Get(want); len(v) > 0 && o.Where&resource.InOCF != 0 {
					if o.Kind == resource.Bool {
						v = []string{"yes"} // an OCF spelling
					}
					ocfEnv["OCF_RESKEY_"+o.Param] = strings.Join(v, ",")
				}
			}
			req, err := ocf.Request(func(k string) string { return ocfEnv[k] })
			if err != nil {
				t.Fatal(err)
			}
			inv, err = invocation.Resolve(context.Background(), req, time.Minute, getenv)
			check("OCF", inv, err)

			// lifekeeper scripts: the arguments its quickCheck script runs iiskit with.
			out := t.TempDir()
			fake := filepath.Join(out, "fake-iiskit")
			if err := os.WriteFile(fake, []byte("#!/bin/sh\nfor a; do printf '%s\\n' \"$a\"; done >\"$ARGS_FILE\"\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			s, _, errb := testStreams(env)
			if code := Main(context.Background(), append([]string{"lifekeeper", "scripts", "--out", out, "--exe", fake}, flags...), s); code != 0 {
				t.Fatalf("lifekeeper scripts: exit %d: %s", code, errb)
			}
			argsFile := filepath.Join(out, "args")
			cmd := exec.Command("sh", filepath.Join(out, "generic", "quickCheck.sh"))
			cmd.Env = append(os.Environ(), "ARGS_FILE="+argsFile)
			if err := cmd.Run(); err != nil {
				t.Fatalf("quickCheck.sh: %v", err)
			}
			ran := readLines(t, argsFile)
			if len(ran) == 0 || ran[0] != "quickcheck" {
				t.Fatalf("quickCheck.sh ran %q", ran)
			}
			inv, err = resolveFlags(ran[1:])
			check("lifekeeper scripts", inv, err)

			// wsfc script: the command line of LooksAlive, as CommandLineToArgvW splits it.
			s, outb, errb := testStreams(env)
			if code := Main(context.Background(), append([]string{"wsfc", "script"}, flags...), s); code != 0 {
				t.Fatalf("wsfc script: exit %d: %s", code, errb)
			}
			line := vbsCommand(t, outb.String(), "LooksAlive")
			argv := windowsArgv(line)
			if len(argv) == 0 || argv[0] != "quickcheck" {
				t.Fatalf("LooksAlive runs %q", argv)
			}
			inv, err = resolveFlags(argv[1:])
			check("wsfc script", inv, err)
		})
	}
}

// TestBareBoolFlagsInScriptGenerators: `wsfc script` and `lifekeeper scripts` take every
// bool flag bare, as the actions do (issue: "--strict-site-state needs a value").
func TestBareBoolFlagsInScriptGenerators(t *testing.T) {
	bools := 0
	for _, o := range resource.OptionTable {
		if o.Kind != resource.Bool || o.Where&resource.InFlag == 0 {
			continue
		}
		bools++
		typ := "W3"
		if !o.AppliesTo(resource.W3) {
			typ = o.Types[0].String()
		}
		for _, gen := range [][]string{{"wsfc", "script"}, {"lifekeeper", "scripts", "--out", t.TempDir(), "--exe", "/opt/iiskit"}} {
			// The bool flag last, and before another flag: either way it takes no value.
			for _, args := range [][]string{
				{"--tag", "t", "--site", "S", "--type", typ, "--" + o.Flag},
				{"--tag", "t", "--" + o.Flag, "--site", "S", "--type", typ},
			} {
				s, out, errb := testStreams(nil)
				if code := Main(context.Background(), append(append([]string{}, gen...), args...), s); code != 0 {
					t.Errorf("%s %q: exit %d: %s", gen[0], args, code, errb)
					continue
				}
				if gen[0] == "wsfc" && !strings.Contains(out.String(), " --"+o.Flag+" ") && !strings.Contains(out.String(), " --"+o.Flag+`")`) {
					t.Errorf("wsfc script does not carry --%s:\n%s", o.Flag, out)
				}
			}
		}
	}
	if bools == 0 {
		t.Fatal("no bool option in the table")
	}
	// The common bool flags too.
	for _, f := range []string{"--json", "--verbose"} {
		s, _, errb := testStreams(nil)
		if code := Main(context.Background(), []string{"wsfc", "script", "--tag", "t", f, "--site", "S", "--type", "W3"}, s); code != 0 {
			t.Errorf("wsfc script %s: exit %d: %s", f, code, errb)
		}
	}
}

// tomlOf writes r as a resource file, each option in its TOML type.
func tomlOf(r resource.Resource) string {
	var b strings.Builder
	b.WriteString("[[resource]]\n")
	for _, o := range resource.OptionTable {
		v := o.Get(r)
		if len(v) == 0 {
			continue
		}
		switch o.Kind {
		case resource.Bool, resource.Int:
			fmt.Fprintf(&b, "%s = %s\n", o.Key, v[0])
		case resource.List:
			q := make([]string, len(v))
			for i, s := range v {
				q[i] = strconv.Quote(s)
			}
			fmt.Fprintf(&b, "%s = [%s]\n", o.Key, strings.Join(q, ", "))
		default:
			fmt.Fprintf(&b, "%s = %s\n", o.Key, strconv.Quote(v[0]))
		}
	}
	return b.String()
}

// flagsOf writes r as action flags: a bool bare, a list one flag per item.
func flagsOf(r resource.Resource) []string {
	var args []string
	for _, o := range resource.OptionTable {
		for _, v := range o.Get(r) {
			if o.Kind == resource.Bool {
				args = append(args, "--"+o.Flag)
				continue
			}
			args = append(args, "--"+o.Flag, v)
		}
	}
	return args
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines
}

// vbsCommand is the command line the script's function fn passes to iiskit: the second
// argument of its IiskitCheck/IiskitChange call, a VBScript literal of printable ASCII
// ("" for a quote).
func vbsCommand(t *testing.T, script, fn string) string {
	t.Helper()
	for _, l := range strings.Split(script, "\r\n") {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, fn+" = Iiskit") {
			continue
		}
		_, rest, _ := strings.Cut(l, `"`+fn+`", "`)
		rest = strings.TrimSuffix(rest, `")`)
		if strings.Contains(rest, `" & `) {
			t.Fatalf("%s: not a plain literal: %s", fn, l)
		}
		return strings.ReplaceAll(rest, `""`, `"`)
	}
	t.Fatalf("no %s in\n%s", fn, script)
	return ""
}

// windowsArgv splits a command line as CommandLineToArgvW does its arguments after the
// program name: 2n backslashes before a quote are n and the quote toggles quoting, 2n+1
// are n and a literal quote; "" inside quotes is a literal quote.
func windowsArgv(cmd string) []string {
	var args []string
	var cur strings.Builder
	inArg, quoted := false, false
	for i := 0; i < len(cmd); i++ {
		c := cmd[i]
		switch {
		case c == '\\':
			n := 0
			for i < len(cmd) && cmd[i] == '\\' {
				n++
				i++
			}
			if i < len(cmd) && cmd[i] == '"' {
				cur.WriteString(strings.Repeat(`\`, n/2))
				if n%2 == 1 {
					cur.WriteByte('"')
				} else {
					i-- // the quote is read next
				}
			} else {
				cur.WriteString(strings.Repeat(`\`, n))
				i--
			}
			inArg = true
		case c == '"':
			if quoted && i+1 < len(cmd) && cmd[i+1] == '"' {
				cur.WriteByte('"')
				i++
			} else {
				quoted = !quoted
			}
			inArg = true
		case (c == ' ' || c == '\t') && !quoted:
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteByte(c)
			inArg = true
		}
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args
}
