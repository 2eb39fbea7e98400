package cli

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/iiskit/iiskit/internal/adapter/ocf"
)

// TestHelpEveryCommand runs every command and subcommand the dispatcher has (Commands)
// with -h and with --help: exit 0, nothing on stderr, and on stdout the help: "iiskit
// PATH: " and one line of what it does, "Usage:" with the command line, the flags where
// it has any, and "Example".
func TestHelpEveryCommand(t *testing.T) {
	for _, path := range append([]string{""}, Commands()...) {
		for _, h := range []string{"-h", "--help"} {
			args := append(strings.Fields(path), h)
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				s, out, errb := testStreams(nil)
				code := Main(context.Background(), args, s)
				if code != 0 || errb.Len() != 0 {
					t.Fatalf("exit %d, want 0; stderr:\n%s", code, errb)
				}
				help := out.String()
				head := strings.TrimSpace("iiskit "+path) + ": "
				first, _, _ := strings.Cut(help, "\n")
				if !strings.HasPrefix(first, head) || len(first) < len(head)+10 {
					t.Errorf("first line %q is not %q and what the command does", first, head+"...")
				}
				for _, want := range []string{"\nUsage:\n  iiskit " + path, "\nExample"} {
					if !strings.Contains(help, want) {
						t.Errorf("no %q in the help:\n%s", want, help)
					}
				}
			})
		}
	}
}

// TestUsageErrorEveryCommand gives every command and subcommand a flag it does not have:
// a usage error of at most 4 lines on stderr whose last line points at the help, never
// the flag list, with the command's exit status for bad usage: 2, but pollsite's 1 (rule
// D4.6), the OCF agent's codes (3 for an action it lacks, 2 OCF_ERR_ARGS after an
// action) and nagios' 3 (UNKNOWN, on stdout, where the monitoring system reads it).
func TestUsageErrorEveryCommand(t *testing.T) {
	for _, path := range append([]string{""}, Commands()...) {
		args := append(strings.Fields(path), "--sitee=x")
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			s, out, errb := testStreams(nil)
			code := Main(context.Background(), args, s)
			want, stream := 2, errb.String()
			switch path {
			case "pollsite":
				want = 1
			case "ocf":
				want = 3
			case "nagios":
				want, stream = 3, out.String()
			default:
				if out.Len() != 0 {
					t.Errorf("stdout: %q", out)
				}
			}
			if code != want {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, want, errb)
			}
			lines := strings.Split(strings.TrimRight(stream, "\n"), "\n")
			if len(lines) > 4 || !strings.Contains(lines[len(lines)-1], "-h") || !strings.Contains(stream, "sitee") {
				t.Errorf("not at most 4 lines naming --sitee and ending with a pointer at -h:\n%s", stream)
			}
		})
	}
}

// TestCommandsComplete checks that the help lists what the dispatcher runs: the top help's
// commands are the dispatcher's, each family's help lists the subcommands Commands has,
// the lab's and the OCF agent's are their packages' own lists, and a subcommand a family
// lacks is refused.
func TestCommandsComplete(t *testing.T) {
	subs := map[string][]string{}
	var top []string
	for _, p := range Commands() {
		name, sub, ok := strings.Cut(p, " ")
		if !ok {
			top = append(top, name)
			continue
		}
		subs[name] = append(subs[name], sub)
	}
	if got := listed(t, nil); !slices.Equal(got, top) {
		t.Errorf("iiskit -h lists %q; the dispatcher has %q", got, top)
	}
	for _, want := range []string{"quickcheck", "deepcheck", "restore", "remove", "recover", "pollsite", "messages",
		"version", "demo", "lab", "nagios", "eventlog", "lifekeeper", "wsfc", "ocf", "watch", "doctor"} {
		if !slices.Contains(top, want) {
			t.Errorf("the dispatcher has no %s", want)
		}
	}
	for name, want := range subs {
		if name == "watch" {
			continue // watch itself runs the daemon: its help names its subcommands in Usage
		}
		if got := listed(t, []string{name}); !slices.Equal(sorted(got), sorted(want)) {
			t.Errorf("iiskit %s -h lists %q; Commands has %q", name, got, want)
		}
		s, _, _ := testStreams(nil)
		if code := Main(context.Background(), []string{name, "nosuch"}, s); code == 0 {
			t.Errorf("iiskit %s nosuch: exit 0", name)
		}
	}
	ocfWant := []string{"install"}
	for _, a := range ocf.ActionNames {
		ocfWant = append(ocfWant, string(a))
	}
	if !slices.Equal(sorted(subs["ocf"]), sorted(ocfWant)) {
		t.Errorf("ocf subcommands %q, the agent has %q", subs["ocf"], ocfWant)
	}
	if !slices.Equal(subs["lab"], labVerbs()) {
		t.Errorf("lab subcommands %q, the lab has %q", subs["lab"], labVerbs())
	}
}

// listed returns the command names of the "Commands:" section of `iiskit PATH -h`.
func listed(t *testing.T, path []string) []string {
	t.Helper()
	s, out, _ := testStreams(nil)
	Main(context.Background(), append(path, "-h"), s)
	_, section, ok := strings.Cut(out.String(), "\nCommands:\n")
	if !ok {
		t.Fatalf("iiskit %s -h has no Commands section:\n%s", strings.Join(path, " "), out)
	}
	var names []string
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "  ") {
			break
		}
		names = append(names, strings.Fields(line)[0])
	}
	return names
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
