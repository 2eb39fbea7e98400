package e2e

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iiskit/iiskit/internal/lab/labtest"
)

// An example is one shell block of README.md or docs/: its file, the line of its fence,
// how it is checked, and its commands (continuation lines joined).
type example struct {
	file  string
	line  int
	mode  string // "run" (the default), "windows", "cluster" or "not run"
	why   string // what a "not run" marker says instead
	lines []exampleLine
}

// exampleLine is one command of a block and the line it starts on.
type exampleLine struct {
	line int
	text string
}

// markerLine is the comment that may stand right before a block's fence to say how it is
// checked: <!-- example: windows -->, <!-- example: cluster -->, <!-- example: not run: WHY -->.
var markerLine = regexp.MustCompile(`^<!-- example: (windows|cluster|run|not run)(?:: (.*))? -->$`)

// readExamples returns every ```sh block of README.md and of the Markdown files under docs/.
func readExamples(t *testing.T) []example {
	t.Helper()
	root := filepath.Join("..", "..")
	files := []string{filepath.Join(root, "README.md")}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []example
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, f)
		var (
			cur    *example
			prev   string
			joined string
			start  int
		)
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		for n := 1; sc.Scan(); n++ {
			text := sc.Text()
			trimmed := strings.TrimSpace(text)
			switch {
			case cur == nil && trimmed == "```sh":
				cur = &example{file: rel, line: n, mode: "run"}
				if m := markerLine.FindStringSubmatch(strings.TrimSpace(prev)); m != nil {
					cur.mode, cur.why = m[1], m[2]
				}
			case cur != nil && trimmed == "```":
				out = append(out, *cur)
				cur = nil
			case cur != nil:
				if joined == "" {
					start = n
				}
				if strings.HasSuffix(trimmed, `\`) {
					joined += strings.TrimSuffix(trimmed, `\`) + " "
					continue
				}
				joined += trimmed
				if c := strings.TrimSpace(joined); c != "" && !strings.HasPrefix(c, "#") {
					cur.lines = append(cur.lines, exampleLine{line: start, text: c})
				}
				joined = ""
			}
			if trimmed != "" {
				prev = trimmed
			}
		}
	}
	return out
}

// TestDocExamplesRun runs every shell example of README.md and docs/ verbatim against a lab
// host, in a folder holding the README's resource file, with this build's iiskit first on
// PATH: each command must exit 0 (a server still running after a few seconds has started,
// which is all its example shows). A block marked Windows-only or cluster-only is checked
// otherwise: every iiskit command in it must parse (each flag it uses is one its command
// lists under -h). A block marked "not run" must say why.
func TestDocExamplesRun(t *testing.T) {
	examples := readExamples(t)
	if len(examples) < 10 {
		t.Fatalf("found only %d shell examples; the scan is broken", len(examples))
	}
	binDir := filepath.Dir(bin)
	for _, ex := range examples {
		name := strings.ReplaceAll(ex.file, "/", "_") + ":" + strconv.Itoa(ex.line)
		t.Run(name, func(t *testing.T) {
			switch ex.mode {
			case "not run":
				if strings.TrimSpace(ex.why) == "" {
					t.Errorf("%s:%d is marked not run without saying why", ex.file, ex.line)
				}
				return
			case "windows", "cluster":
				for _, l := range ex.lines {
					checkFlagsParse(t, ex, l)
				}
				return
			}
			ip := nextLabIP()
			u := labtest.Serve(t, bin, ip, "--config", writeFile(t, "applicationHost.config", exampleHost(ip)), "--hostname", "EXAMPLES")
			dir := exampleFolder(t, ip)
			env := []string{
				"PATH=" + binDir + string(os.PathListSeparator) + os.Getenv("PATH"),
				"IISKIT_LAB=" + u,
				"IISKIT_LOCK_DIR=" + filepath.Join(lockRoot, ip),
			}
			for _, l := range ex.lines {
				runExampleLine(t, ex, l, dir, env)
			}
		})
	}
}

// exampleHost is the lab host the examples run against, in the shape of IIS's own
// applicationHost.config (<applicationPools><add>, <site><application applicationPool>):
// the default host's sites and pool (README, "The lab host") on the address ip.
func exampleHost(ip string) string {
	return "\ufeff" + `<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <system.applicationHost>
    <applicationPools>
      <add name="DefaultAppPool" />
    </applicationPools>
    <sites>
      <site name="Default Web Site" id="1">
        <application path="/" applicationPool="DefaultAppPool" />
        <bindings><binding protocol="http" bindingInformation="` + ip + `:8080:" /></bindings>
      </site>
      <site name="Default FTP Site" id="2">
        <bindings><binding protocol="ftp" bindingInformation="` + ip + `:2121:" /></bindings>
      </site>
      <site name="Default SMTP Virtual Server" id="1">
        <bindings><binding protocol="smtp" bindingInformation="` + ip + `:2525:" /></bindings>
      </site>
    </sites>
  </system.applicationHost>
</configuration>
`
}

// writeFile writes content to a new file name in a folder of the test's own.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// nextLabIP is a loopback address no other test of this process uses.
func nextLabIP() string { return fmt.Sprintf("127.0.1.%d", nextIP.Add(1)) }

// exampleFolder is a working folder with what the examples name: the README's resource
// file as the README gives it, the FTP password file holding the lab's FTP password (as
// the README says to write it), and an applicationHost.config of one site on ip (a port the
// examples' lab host does not use).
func exampleFolder(t *testing.T, ip string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"resources.toml": readmeResourceFile(t),
		"ftp1.secret":    "probe\n",
		"applicationHost.config": "\ufeff" + `<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <system.applicationHost>
    <sites>
      <site name="Default Web Site" id="1">
        <bindings><binding protocol="http" bindingInformation="` + ip + `:8090:" /></bindings>
      </site>
    </sites>
  </system.applicationHost>
</configuration>
`,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// readmeResourceFile is the README's example resource file: its first TOML block.
func readmeResourceFile(t *testing.T) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "\n```toml\n")
	block, _, closed := strings.Cut(after, "\n```\n")
	if !ok || !closed || !strings.Contains(block, "[[resource]]") {
		t.Fatal("README.md has no TOML block with [[resource]] tables")
	}
	return block + "\n"
}

// serverGrace is how long a command may run before it counts as a server that started.
const serverGrace = 3 * time.Second

// runExampleLine runs one command through bash in dir and fails the test unless it exits 0
// or is still running (a server) after serverGrace.
func runExampleLine(t *testing.T, ex example, l exampleLine, dir string, env []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", l.text)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s:%d: %s: %v", ex.file, l.line, l.text, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Errorf("%s:%d: %s: exit %d\n%s", ex.file, l.line, l.text, ee.ExitCode(), out.String())
		} else if err != nil {
			t.Errorf("%s:%d: %s: %v", ex.file, l.line, l.text, err)
		}
	case <-time.After(serverGrace):
		// Still running: a server (lab serve, watch) that started. Stop it.
		cancel()
		<-done
	}
}

// flagUse is a flag on an example's command line: --name or --name=value.
var flagUse = regexp.MustCompile(`(?:^|\s)--?([a-zA-Z][a-zA-Z0-9-]*)`)

// checkFlagsParse checks that every flag an iiskit command of a Windows-only or
// cluster-only example uses is one its command lists under -h.
func checkFlagsParse(t *testing.T, ex example, l exampleLine) {
	t.Helper()
	fields := strings.Fields(l.text)
	if len(fields) < 2 || (fields[0] != "iiskit" && fields[0] != "iiskit.exe" && !strings.HasSuffix(fields[0], `\iiskit.exe"`)) {
		return // crm, pcs, msiexec ...: the cluster test and the Windows kit test run those
	}
	cmdWords := []string{fields[1]}
	if len(fields) > 2 && !strings.HasPrefix(fields[2], "-") && (fields[1] == "watch" || fields[1] == "lifekeeper" || fields[1] == "wsfc" || fields[1] == "ocf" || fields[1] == "eventlog") {
		cmdWords = append(cmdWords, fields[2])
	}
	r := runIISKit(t, nil, append(cmdWords, "-h")...)
	help := r.stdout + r.stderr
	if r.code != 0 {
		t.Errorf("%s:%d: iiskit %s -h: exit %d\n%s", ex.file, l.line, strings.Join(cmdWords, " "), r.code, help)
		return
	}
	for _, m := range flagUse.FindAllStringSubmatch(l.text, -1) {
		if !regexp.MustCompile(`(?m)^\s*--?` + regexp.QuoteMeta(m[1]) + `\b`).MatchString(help) {
			t.Errorf("%s:%d: %s: iiskit %s -h does not list --%s", ex.file, l.line, l.text, strings.Join(cmdWords, " "), m[1])
		}
	}
}
