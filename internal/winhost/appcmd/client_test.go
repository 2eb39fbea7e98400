package appcmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/platform"
)

// echoEnv makes the test binary act as a stand-in appcmd: it writes the argv it received
// as JSON to the file named by the variable and answers like appcmd.
const echoEnv = "IISKIT_APPCMD_ECHO_FILE"

func TestMain(m *testing.M) {
	if f := os.Getenv(echoEnv); f != "" {
		os.Exit(echo(f))
	}
	os.Exit(m.Run())
}

func echo(file string) int {
	b, _ := json.Marshal(os.Args[1:])
	if err := os.WriteFile(file, b, 0o600); err != nil {
		fmt.Println("ERROR ( message:" + err.Error() + " )")
		return 1
	}
	if len(os.Args) > 1 && os.Args[1] == "list" {
		fmt.Print(`<?xml version="1.0" encoding="UTF-8"?>` + "\r\n<appcmd>\r\n</appcmd>\r\n")
		return 0
	}
	name := strings.TrimPrefix(os.Args[len(os.Args)-1], "/site.name:")
	fmt.Printf("ERROR ( message:Cannot find SITE object with identifier \"%s\". )\r\n", name)
	return 1168
}

// recordingRunner counts the processes a Client starts and the programs it names.
type recordingRunner struct {
	mu    sync.Mutex
	next  Runner
	paths []string
	argvs [][]string
}

func (r *recordingRunner) Run(ctx context.Context, path string, args []string) (Output, error) {
	r.mu.Lock()
	r.paths = append(r.paths, path)
	r.argvs = append(r.argvs, slices.Clone(args))
	r.mu.Unlock()
	return r.next.Run(ctx, path, args)
}

// hostileNames are site names that would do harm if any shell, cmd.exe or PowerShell
// ever parsed a string holding them.
var hostileNames = []string{
	`Default Web Site`,
	`x"; Remove-Item C:\ -Recurse; "`,
	`a'b'c`,
	`$(Get-Process)`,
	"`whoami`",
	`%WINDIR%`,
	`100% ^& more ^^`,
	`a & b | c > d < e`,
	`trailing backslash\`,
	`\\server\share\"quoted\"`,
	`"`,
	`/site.name:inner`,
	`-`,
	`;`,
	"tab\there",
	`Ünïcødé サイト 網站 🚀`,
	` leading and trailing `,
	`!delayed! @{x=1}`,
}

// TestHostileNamesReachAppcmdAsOneArgument runs a real process for every hostile name
// and checks what that process received: the name exactly once, inside one argv element
// that only appcmd's own /site.name: parameter holds, and no program but appcmd started.
func TestHostileNamesReachAppcmdAsOneArgument(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := tempDir(t)
	for i, name := range hostileNames {
		for _, verb := range []string{"start", "stop"} {
			t.Run(fmt.Sprintf("%s %d", verb, i), func(t *testing.T) {
				file := filepath.Join(dir, fmt.Sprintf("argv-%s-%d.json", verb, i))
				t.Setenv(echoEnv, file)
				rec := &recordingRunner{next: ExecRunner{}}
				c := &Client{Path: exe, Runner: rec}
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				call := c.StartSite
				if verb == "stop" {
					call = c.StopSite
				}
				err := call(ctx, name)
				if !errors.Is(err, platform.ErrNoSite) {
					t.Errorf("got %v, want the stand-in's not-found mapped to ErrNoSite", err)
				}
				b, rerr := os.ReadFile(file)
				if rerr != nil {
					t.Fatal(rerr)
				}
				var got []string
				if err := json.Unmarshal(b, &got); err != nil {
					t.Fatal(err)
				}
				want := []string{verb, "site", "/site.name:" + name}
				if !slices.Equal(got, want) {
					t.Errorf("process received %q, want %q", got, want)
				}
				if len(rec.paths) != 1 || rec.paths[0] != exe {
					t.Errorf("started %q, want exactly one process of %q", rec.paths, exe)
				}
				for _, p := range rec.paths {
					base := strings.ToLower(filepath.Base(p))
					for _, shell := range []string{"cmd", "powershell", "pwsh", "sh", "bash"} {
						if base == shell || base == shell+".exe" {
							t.Errorf("a shell was started: %s", p)
						}
					}
				}
			})
		}
	}
}

// TestListSitesIsOneProcess: a listing is one appcmd process with the fixed listing argv.
func TestListSitesIsOneProcess(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(echoEnv, filepath.Join(tempDir(t), "list.json"))
	rec := &recordingRunner{next: ExecRunner{}}
	c := &Client{Path: exe, Runner: rec}
	sites, err := c.ListSites(context.Background())
	if err != nil || len(sites) != 0 {
		t.Fatalf("got %v %v, want an empty listing", sites, err)
	}
	if len(rec.argvs) != 1 || !slices.Equal(rec.argvs[0], ListSitesArgs()) {
		t.Errorf("argvs %q, want one %q", rec.argvs, ListSitesArgs())
	}
}

// fakeRunner answers from canned outputs without starting a process.
type fakeRunner struct {
	out Output
	err error
}

func (f fakeRunner) Run(context.Context, string, []string) (Output, error) { return f.out, f.err }

func TestClientMapsOutcomes(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		run  fakeRunner
		want error // nil: success
	}{
		{"started", fakeRunner{out: Output{Stdout: []byte("\"a\" successfully started.\r\n")}}, nil},
		{"already started", fakeRunner{out: Output{Stdout: []byte("ERROR ( hresult:80070420, message:Command execution failed.\r\nAn instance of the service is already running.\r\n )"), ExitCode: 1056}}, nil},
		{"missing", fakeRunner{out: Output{Stdout: []byte(`ERROR ( message:Cannot find SITE object with identifier "a". )`), ExitCode: 1168}}, platform.ErrNoSite},
		{"denied", fakeRunner{out: Output{Stdout: []byte("ERROR ( hresult:80070005, message:Command execution failed.\r\nAccess is denied.\r\n )"), ExitCode: 5}}, platform.ErrPrerequisite},
		{"runner failed", fakeRunner{err: os.ErrNotExist}, os.ErrNotExist},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Client{Path: `C:\Windows\System32\inetsrv\appcmd.exe`, Runner: tc.run}
			err := c.StartSite(ctx, "a")
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestListSitesErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  fakeRunner
		want error
	}{
		{"access denied", fakeRunner{out: Output{Stdout: []byte("ERROR ( hresult:80070005, message:Command execution failed.\r\nAccess is denied.\r\n )"), ExitCode: 5}}, platform.ErrPrerequisite},
		{"exit code without text", fakeRunner{out: Output{ExitCode: 13}}, nil},
		{"garbage", fakeRunner{out: Output{Stdout: []byte("<appcmd><SITE")}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Client{Path: "appcmd.exe", Runner: tc.run}
			sites, err := c.ListSites(context.Background())
			if err == nil {
				t.Fatalf("got %v, want an error", sites)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// tempDir is a temporary folder removed best-effort: under Wine, t.TempDir's cleanup of
// a non-empty folder fails ("Invalid function"), so tests here do their own.
func tempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "appcmd-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}
