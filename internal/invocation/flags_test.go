package invocation

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestTypedFlagsHelp checks that the flags which note bad values read in the help (on
// stdout) as the flag package's own do: their type, and a default only where it is not
// the zero.
func TestTypedFlagsHelp(t *testing.T) {
	s, out, errb := testStreams(nil)
	if _, err := ParseFlags("quickcheck", []string{"-h"}, s); err == nil {
		t.Fatal("-h accepted")
	}
	help := out.String()
	if errb.Len() != 0 {
		t.Errorf("-h wrote on stderr: %q", errb)
	}
	for _, want := range []string{"--retry-interval duration", "(default 1s)", "--timeout duration", "--cert-warn-days int"} {
		if !strings.Contains(help, want) {
			t.Errorf("no %q in the help:\n%s", want, help)
		}
	}
	for _, bad := range []string{"(default 0s)", "(default 0)", "panic"} {
		if strings.Contains(help, bad) {
			t.Errorf("%q in the help:\n%s", bad, help)
		}
	}
}

// TestFlagErrors checks the command line's wording of flag errors and that the flag is
// known structurally.
func TestFlagErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
		flag string
	}{
		{[]string{"--tag=t", "--retry-interval=soon"}, `--retry-interval: invalid value "soon": time: invalid duration "soon"`, "retry_interval"},
		{[]string{"--tag=t", "--site=s", "--type=W3", "--cert-warn-days=9999999999999999999999"}, `--cert-warn-days: invalid value "9999999999999999999999": value out of range`, "cert_warn_days"},
		{[]string{"--tag=t", "--timeout=0s"}, "--timeout must be longer than zero", "timeout"},
		{[]string{"--tag="}, "--tag is required", "tag"},
	} {
		s, _, errb := testStreams(nil)
		req, err := ParseFlags("x", c.args, s)
		if err == nil {
			_, err = Resolve(context.Background(), req, time.Minute, s.Getenv)
		}
		var fe *Error
		if !errors.As(err, &fe) || fe.Error() != c.want || len(fe.Keys) != 1 || fe.Keys[0] != c.flag {
			t.Errorf("%q: error %v (%#v), want %q naming %s", c.args, err, fe, c.want, c.flag)
		}
		if errb.Len() != 0 {
			t.Errorf("%q: printed %q; the caller reports a value error", c.args, errb)
		}
	}
}

func testStreams(env map[string]string) (Streams, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return Streams{Getenv: func(k string) string { return env[k] }, Stdout: &out, Stderr: &errb}, &out, &errb
}
