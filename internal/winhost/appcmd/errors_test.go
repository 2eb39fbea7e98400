package appcmd

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/iiskit/iiskit/internal/platform"
)

func TestErrorMapping(t *testing.T) {
	for _, tc := range []struct {
		file    string
		exit    int
		want    []error
		notWant []error
		hresult uint32
	}{
		{"error-not-found.txt", 1168, []error{ErrNotFound, platform.ErrNoSite}, []error{platform.ErrPrerequisite}, 0},
		{"error-invalid-object.txt", 4312, []error{ErrInvalidObject}, []error{platform.ErrNoSite}, 0x800710D8},
		{"error-access-denied.txt", 5, []error{ErrAccessDenied, platform.ErrPrerequisite}, []error{platform.ErrNoSite}, 0x80070005},
		{"error-in-use.txt", 32, []error{ErrInUse}, []error{platform.ErrNoSite}, 0x80070020},
		{"error-already-started.txt", 1056, []error{ErrAlreadyInState}, nil, 0x80070420},
		{"error-exact-identifier.txt", 50, nil, []error{ErrNotFound, platform.ErrNoSite, ErrAlreadyInState}, 0},
	} {
		t.Run(tc.file, func(t *testing.T) {
			out, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			got := CheckOutput([]string{"start", "site", "/site.name:x"}, Output{Stdout: out, ExitCode: tc.exit})
			var e *Error
			if !errors.As(got, &e) {
				t.Fatalf("got %v, want an *Error", got)
			}
			if e.HResult != tc.hresult || e.ExitCode != tc.exit {
				t.Errorf("hresult 0x%08X exit %d, want 0x%08X %d", e.HResult, e.ExitCode, tc.hresult, tc.exit)
			}
			for _, w := range tc.want {
				if !errors.Is(got, w) {
					t.Errorf("%v: not %v", got, w)
				}
			}
			for _, w := range tc.notWant {
				if errors.Is(got, w) {
					t.Errorf("%v: unexpectedly %v", got, w)
				}
			}
		})
	}
}

func TestCheckOutputByExitCodeAlone(t *testing.T) {
	for _, tc := range []struct {
		name string
		out  Output
		want error
	}{
		{"success", Output{Stdout: []byte("\"a\" successfully started.\r\n")}, nil},
		{"not found by exit code", Output{ExitCode: 1168}, ErrNotFound},
		{"error text with exit 0", Output{Stdout: []byte("ERROR ( message:Cannot find SITE object with identifier \"a\". )")}, ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckOutput(nil, tc.out)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestErrorMessageNamesTheRequest(t *testing.T) {
	e := &Error{Args: []string{"stop", "site", "/site.name:My Site"}, ExitCode: 1168, Message: "Cannot find SITE object with identifier \"My Site\"."}
	want := `appcmd stop site "/site.name:My Site" failed (exit 1168): Cannot find SITE object with identifier "My Site".`
	if e.Error() != want {
		t.Errorf("got  %s\nwant %s", e.Error(), want)
	}
}
