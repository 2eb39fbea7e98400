package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image/png"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

var updateScreenshot = flag.Bool("update-screenshot", false, "rewrite docs/watch-status.png from the status page test")

// watchDaemon is one `iiskit watch` process.
type watchDaemon struct {
	t      *testing.T
	cmd    *exec.Cmd
	addr   string         // the status server, HOST:PORT
	events chan jsonEvent // --json events from stdout, in order
	stderr *bytes.Buffer
	done   chan error
}

// startWatch runs `iiskit watch --config cfg --json` (and extra) against lab and waits
// until it serves its status page.
func startWatch(t *testing.T, lab *labHost, cfg string, extra ...string) *watchDaemon {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"watch", "--config", cfg, "--listen", "127.0.0.1:0", "--json"}, extra...)...)
	cmd.Env = append(os.Environ(), lab.env...)
	cmd.Env = append(cmd.Env, "IISKIT_FTP_PASSWORD=probe")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &watchDaemon{t: t, cmd: cmd, events: make(chan jsonEvent, 1000), stderr: &bytes.Buffer{}, done: make(chan error, 1)}
	go func() {
		dec := json.NewDecoder(stdout)
		for {
			var e jsonEvent
			if dec.Decode(&e) != nil {
				close(w.events)
				return
			}
			w.events <- e
		}
	}()
	ready := make(chan string, 1)
	stderrDone := make(chan struct{})
	go func() {
		defer close(stderrDone)
		sc := bufio.NewScanner(errPipe)
		re := regexp.MustCompile(`status page http://([^/]+)/`)
		for sc.Scan() {
			w.stderr.WriteString(sc.Text() + "\n")
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				ready <- m[1]
			}
		}
	}()
	go func() { <-stderrDone; w.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		select { // the stderr reader ends with the process; its buffer is read after
		case <-stderrDone:
		case <-time.After(5 * time.Second):
		}
		if t.Failed() {
			t.Logf("watch stderr:\n%s", w.stderr.String())
		}
	})
	select {
	case w.addr = <-ready:
	case err := <-w.done:
		t.Fatalf("iiskit watch ended before serving: %v\n%s", err, w.stderr.String())
	case <-time.After(20 * time.Second):
		t.Fatalf("iiskit watch not serving within 20 s:\n%s", w.stderr.String())
	}
	return w
}

// waitEvents collects the events of tag until one with id arrives, or fails after the
// deadline.
func (w *watchDaemon) waitEvents(tag string, id int, within time.Duration) []int {
	w.t.Helper()
	var got []int
	deadline := time.After(within)
	for {
		select {
		case e, ok := <-w.events:
			if !ok {
				w.t.Fatalf("event stream ended waiting for %d of %s; got %v", id, tag, got)
			}
			if e.Tag != tag {
				continue
			}
			got = append(got, e.ID)
			if e.ID == id {
				return got
			}
		case <-deadline:
			w.t.Fatalf("no event %d of %s within %s; got %v", id, tag, within, got)
		}
	}
}

// get fetches a path of the status server.
func (w *watchDaemon) get(path string) (int, string) {
	w.t.Helper()
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get("http://" + w.addr + path)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// metric returns the value of one series line of /metrics ("" when absent).
func (w *watchDaemon) metric(series string) string {
	_, body := w.get("/metrics")
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			return v
		}
	}
	return ""
}

// waitMetric polls /metrics until series has value, within a deadline: the daemon's
// state changes between checks, and the metrics are how an administrator sees it.
func (w *watchDaemon) waitMetric(series, value string, within time.Duration) {
	w.t.Helper()
	deadline := time.Now().Add(within)
	for {
		got := w.metric(series)
		if got == value {
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("%s = %q after %s, want %s", series, got, within, value)
		}
		select {
		case <-time.After(50 * time.Millisecond):
		case err := <-w.done:
			w.t.Fatalf("iiskit watch ended: %v", err)
		}
	}
}

const watchConfig = `[defaults]
retry_interval = "100ms"
probe_timeout = "2s"

[watch]
quick_interval = "300ms"
deep_interval = "1s"

[[resource]]
tag = "web-a"
site = "Web A"
type = "W3"
recover_starts_site = true

[[resource]]
tag = "web-b"
site = "Web B"
type = "W3"
`

// TestWatchRecoversAStoppedSite: the daemon against a lab host. A stopped site with
// recover_starts_site comes back (C4) with its events and metrics; one without it cannot
// be recovered and shows as failed on the status page, in Chromium too; SIGHUP with a bad
// file is refused; SIGTERM ends the daemon with exit 0.
func TestWatchRecoversAStoppedSite(t *testing.T) {
	lab := startLab(t,
		site{name: "Web A", bindings: "http/IP:8080:", autoStart: true, id: 1},
		site{name: "Web B", bindings: "http/IP:8081:", autoStart: true, id: 2})
	cfg := filepath.Join(t.TempDir(), "resources.toml")
	if err := os.WriteFile(cfg, []byte(watchConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	w := startWatch(t, lab, cfg)
	w.waitMetric(`iiskit_watch_up{tag="web-a"}`, "1", 20*time.Second)
	w.waitMetric(`iiskit_watch_up{tag="web-b"}`, "1", 20*time.Second)
	if code, body := w.get("/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz = %d %q", code, body)
	}

	// web-a stopped: Q3 fails (9704), local recovery (9810) starts it (C4) and succeeds.
	lab.ctl("site", "Web A", "state", "Stopped")
	if got, want := w.waitEvents("web-a", 9811, 20*time.Second), []int{9704, 9810, 9811}; !slices.Equal(got, want) {
		t.Errorf("web-a events %v, want %v", got, want)
	}
	w.waitMetric(`iiskit_watch_recoveries_total{outcome="succeeded",tag="web-a"}`, "1", 5*time.Second)
	w.waitMetric(`iiskit_watch_up{tag="web-a"}`, "1", 10*time.Second)

	// web-b stopped without recover_starts_site: the recovery waits for IIS in vain (C3).
	lab.ctl("site", "Web B", "state", "Stopped")
	if got, want := w.waitEvents("web-b", 9812, 20*time.Second), []int{9704, 9810, 9606, 9812}; !slices.Equal(got, want) {
		t.Errorf("web-b events %v, want %v", got, want)
	}
	w.waitMetric(`iiskit_watch_up{tag="web-b"}`, "0", 5*time.Second)
	if v := w.metric(`iiskit_watch_recoveries_total{outcome="failed",tag="web-b"}`); v == "" || v == "0" {
		t.Errorf("recoveries_total{failed,web-b} = %q, want at least 1", v)
	}
	if v := w.metric(`iiskit_watch_site_listings_total{outcome="pass",type="W3"}`); v == "" {
		t.Error("no site listings counted")
	}

	_, page := w.get("/")
	for _, want := range []string{`data-tag="web-a" data-state="up"`, `data-tag="web-b"`, `http-equiv="refresh"`, "<svg"} {
		if !strings.Contains(page, want) {
			t.Errorf("status page lacks %s", want)
		}
	}
	if !regexp.MustCompile(`<tr class="failed( spent)?" data-tag="web-b" data-state="(down|budget spent|recovering)"`).MatchString(page) {
		t.Errorf("status page does not mark web-b failed:\n%s", page)
	}
	checkPageInChromium(t, "http://"+w.addr+"/")

	// A bad file on SIGHUP is refused (9816) and the daemon goes on; a good one is taken.
	if err := os.WriteFile(cfg, []byte(watchConfig+"bogus = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_ = w.cmd.Process.Signal(syscall.SIGHUP)
	if got := w.waitEvents("", 9816, 10*time.Second); got[len(got)-1] != 9816 {
		t.Errorf("reload events %v", got)
	}
	if err := os.WriteFile(cfg, []byte(strings.Replace(watchConfig, `deep_interval = "1s"`, `deep_interval = "2s"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	_ = w.cmd.Process.Signal(syscall.SIGHUP)
	w.waitEvents("", 9819, 10*time.Second)

	_ = w.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-w.done:
		if err != nil {
			t.Errorf("iiskit watch after SIGTERM: %v, want exit 0", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("iiskit watch still running 60 s after SIGTERM")
	}
}

// TestWatch9804WhileARestoreHoldsTheTag (SPEC S4): the daemon's checks take the per-tag
// lock through the same action code as the command line, so while a command-line restore
// holds the tag, the daemon's check raises 9804 as a second command-line action would,
// waits, and then runs.
func TestWatch9804WhileARestoreHoldsTheTag(t *testing.T) {
	lab := startLab(t,
		site{name: "Web C", bindings: "http/IP:8082:", autoStart: true, id: 3},
		site{name: "Ftp D", bindings: "ftp/IP:2121:", autoStart: true, id: 4})
	// The FTP service is stopped and takes 4 s to start: a restore of an FTP site (the
	// same tag, another site: the lock is the tag's) holds the lock that long, and the
	// daemon's W3 resource is unaffected otherwise.
	lab.ctl("service", "FTPSVC", "state", "Stopped")
	lab.ctl("service", "FTPSVC", "pending", "4s")
	cfg := filepath.Join(t.TempDir(), "resources.toml")
	conf := "[watch]\nquick_interval = \"300ms\"\ndeep_interval = \"1s\"\n\n[[resource]]\ntag = \"web-c\"\nsite = \"Web C\"\ntype = \"W3\"\n"
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	w := startWatch(t, lab, cfg)
	w.waitMetric(`iiskit_watch_up{tag="web-c"}`, "1", 20*time.Second)
	restored := make(chan result, 1)
	go func() {
		restored <- runIISKit(t, lab.env, "restore", "--tag", "web-c", "--site", "Ftp D", "--type", "FTP", "--json")
	}()
	var e jsonEvent
	deadline := time.After(15 * time.Second)
	for e.ID != 9804 {
		select {
		case ev, ok := <-w.events:
			if !ok {
				t.Fatal("event stream ended")
			}
			if ev.Tag == "web-c" {
				e = ev
			}
		case <-deadline:
			r := <-restored
			t.Fatalf("the daemon raised no 9804 while the restore held web-c (restore: exit %d in %s, events %v, stderr %s)", r.code, r.elapsed, r.events, r.stderr)
		}
	}
	if e.Action != "quickcheck" && e.Action != "deepcheck" {
		t.Errorf("9804 came from %q, want the daemon's quickcheck or deepcheck", e.Action)
	}
	if r := <-restored; r.code != 0 {
		t.Errorf("restore: exit %d, events %v, want 0", r.code, r.events)
	}
	// The daemon's check ran once the lock was free: web-c is still up.
	w.waitMetric(`iiskit_watch_up{tag="web-c"}`, "1", 10*time.Second)
	_ = w.cmd.Process.Signal(syscall.SIGTERM)
	<-w.done
}

// TestWatchStartsWithTheHostUnreachable: a daemon whose host cannot be reached starts
// anyway, serves its page, reports its resource down (no 9811: nothing passed) and keeps
// checking; SIGHUP reopens the --events file after logrotate renamed it.
func TestWatchStartsWithTheHostUnreachable(t *testing.T) {
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close() // nothing listens there now
	lab := &labHost{t: t, env: []string{"IISKIT_LAB=http://" + closed, "IISKIT_LOCK_DIR=" + filepath.Join(dir, "locks")}}
	cfg := filepath.Join(dir, "resources.toml")
	conf := "[defaults]\nretry_interval = \"50ms\"\ntimeout = \"2s\"\n[watch]\nquick_interval = \"200ms\"\ndeep_interval = \"400ms\"\nrecover_budget = 1\n\n[[resource]]\ntag = \"web-u\"\nsite = \"Web U\"\ntype = \"W3\"\n"
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	events := filepath.Join(dir, "events.jsonl")
	w := startWatch(t, lab, cfg, "--platform", "lab", "--events", events)
	got := w.waitEvents("web-u", 9812, 30*time.Second)
	if slices.Contains(got, 9811) {
		t.Errorf("events %v: 9811 while the host is unreachable", got)
	}
	w.waitMetric(`iiskit_watch_up{tag="web-u"}`, "0", 5*time.Second)
	before := w.metric(`iiskit_watch_checks_total{level="quick",outcome="fail",tag="web-u"}`)
	w.waitEvents("web-u", 9813, 30*time.Second) // budget spent; still checking
	deadline := time.Now().Add(10 * time.Second)
	for w.metric(`iiskit_watch_checks_total{level="quick",outcome="fail",tag="web-u"}`) == before {
		if time.Now().After(deadline) {
			t.Fatal("no further check within 10 s: the daemon stopped trying")
		}
		time.Sleep(50 * time.Millisecond) // polling a metric of another process
	}
	_, page := w.get("/")
	if !strings.Contains(page, "<title>(1 down) ") {
		t.Errorf("page title does not count web-u down")
	}

	// logrotate: rename, SIGHUP, and the next events go to a new file at the path.
	if err := os.Rename(events, events+".1"); err != nil {
		t.Fatal(err)
	}
	_ = w.cmd.Process.Signal(syscall.SIGHUP)
	w.waitEvents("", 9819, 10*time.Second)
	// The events file is the sink after stdout: its line follows at once.
	var b []byte
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		b, err = os.ReadFile(events)
		if err == nil && strings.Contains(string(b), `"id":9819`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after SIGHUP the events file holds %q (%v), want the reload's 9819", b, err)
		}
	}
	_ = w.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-w.done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("still running 60 s after SIGTERM")
	}
}

// chromium finds Debian's headless browser; CI installs it, so there its absence fails.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed (scripts/test.sh installs it)")
	}
	t.Skip("chromium is not installed")
	return ""
}

// runChromium runs headless Chromium with args, within a minute, and returns its output.
func runChromium(t *testing.T, args ...string) []byte {
	t.Helper()
	browser := chromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}
	out, err := exec.CommandContext(ctx, browser, append(base, args...)...).Output()
	if err != nil {
		t.Fatalf("chromium %v: %v", args, err)
	}
	return out
}

// countColours counts the pixels of the PNG file near each colour.
func countColours(t *testing.T, file string, colours ...[3]uint8) []int {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	counts := make([]int, len(colours))
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			for i, c := range colours {
				if near(r, c[0]) && near(g, c[1]) && near(bl, c[2]) {
					counts[i]++
					break
				}
			}
		}
	}
	return counts
}

// copyFile copies a screenshot into the docs.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkPageInChromium loads the status page in headless Chromium: the rendered DOM shows
// every resource, and the screenshot shows the failed row in its own colour.
func checkPageInChromium(t *testing.T, url string) {
	t.Helper()
	dom := string(runChromium(t, "--dump-dom", url))
	for _, want := range []string{"iiskit watch on E2E-NODE", "web-a", "web-b", `class="failed`} {
		if !strings.Contains(dom, want) {
			t.Errorf("Chromium's DOM lacks %q", want)
		}
	}
	shot := filepath.Join(t.TempDir(), "status.png")
	runChromium(t, "--screenshot="+shot, "--window-size=1280,720", "--hide-scrollbars", url)
	// The failed row's background (#fde8e8) and its marker, red (#c81e1e) while down or
	// purple (#5c1a6b) once the budget is spent, must be on screen.
	c := countColours(t, shot, [3]uint8{0xfd, 0xe8, 0xe8}, [3]uint8{0xc8, 0x1e, 0x1e}, [3]uint8{0x5c, 0x1a, 0x6b})
	if pink, marker := c[0], c[1]+c[2]; pink < 5000 || marker < 200 {
		t.Errorf("screenshot shows %d failed-row pixels and %d red or purple marker pixels; the failed resource is not visibly different", pink, marker)
	}
	if *updateScreenshot {
		copyFile(t, shot, filepath.Join("..", "..", "docs", "watch-status.png"))
	}
}

func near(v uint32, want uint8) bool {
	d := int(v>>8) - int(want)
	return d >= -3 && d <= 3
}

const watchPoolsConfig = `[defaults]
retry_interval = "100ms"
probe_timeout = "2s"

[watch]
quick_interval = "300ms"
deep_interval = "1s"

[[resource]]
tag = "web-shop"
site = "Shop"
type = "W3"

[[resource]]
tag = "web-blog"
site = "Blog"
type = "W3"
recover_budget = 0

[[resource]]
tag = "web-default"
site = "Default Web Site"
type = "W3"
`

// TestWatchApplicationPools (SPEC P3; CLI.md: iiskit_app_pool_state and the page's
// pools): the daemon against the lab. Shop's pool stopped: the quickcheck fails (9820),
// the local recovery starts the pool, which the daemon reports (9824), and the deepcheck
// after it passes (9811); the metric follows the pool in IIS's numbers. Blog's pool
// stopped, with recover_budget = 0, stays stopped: 3 in the metric, red on the page, in
// Chromium too (-update-screenshot rewrites docs/watch-pools.png).
func TestWatchApplicationPools(t *testing.T) {
	lab := startLab(t, site{name: "Default Web Site", bindings: "http/IP:8080:", autoStart: true, id: 1})
	lab.ctl("pool", "ShopPool", "add")
	lab.ctl("site", "Shop", "add", "--type", "W3", "--binding", "http/"+lab.IP+":8090:", "--pool", "ShopPool")
	lab.ctl("pool", "BlogPool", "add")
	lab.ctl("site", "Blog", "add", "--type", "W3", "--binding", "http/"+lab.IP+":8091:", "--pool", "BlogPool")
	cfg := filepath.Join(t.TempDir(), "resources.toml")
	if err := os.WriteFile(cfg, []byte(watchPoolsConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	w := startWatch(t, lab, cfg)
	for _, tag := range []string{"web-shop", "web-blog", "web-default"} {
		w.waitMetric(`iiskit_watch_up{tag="`+tag+`"}`, "1", 20*time.Second)
	}
	w.waitMetric(`iiskit_app_pool_state{pool="ShopPool",tag="web-shop"}`, "1", 5*time.Second)
	w.waitMetric(`iiskit_app_pool_state{pool="BlogPool",tag="web-blog"}`, "1", 5*time.Second)

	// Shop's pool stops (an administrator, rapid-fail protection): the recovery starts it.
	lab.ctl("pool", "ShopPool", "state", "Stopped")
	var got []string
	for e := range w.eventsUntil("web-shop", 9811, 20*time.Second) {
		got = append(got, fmt.Sprintf("%s %d: %s", e.Severity, e.ID, e.Message))
	}
	want := []string{
		`Error 9820: Checking LifeKeeper resource "web-shop". Application pool "ShopPool" of IIS site "Shop" on system E2E-NODE is not in the started state. Current state is "Stopped".`,
		`Information 9810: Watching LifeKeeper resource "web-shop". IIS site "Shop" on system E2E-NODE failed its checks (1 failed since it was last up): starting local recovery.`,
		`Information 9824: Watching LifeKeeper resource "web-shop". Local recovery started application pool "ShopPool" of IIS site "Shop" on system E2E-NODE, whose state was "Stopped".`,
		`Information 9811: Watching LifeKeeper resource "web-shop". Local recovery of IIS site "Shop" on system E2E-NODE succeeded.`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("web-shop events\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	w.waitMetric(`iiskit_app_pool_state{pool="ShopPool",tag="web-shop"}`, "1", 5*time.Second)
	w.waitMetric(`iiskit_watch_up{tag="web-shop"}`, "1", 5*time.Second)

	// Blog's pool stops and is never recovered: Stopped is 3, IIS's number.
	lab.ctl("pool", "BlogPool", "state", "Stopped")
	w.waitMetric(`iiskit_app_pool_state{pool="BlogPool",tag="web-blog"}`, "3", 10*time.Second)
	w.waitMetric(`iiskit_watch_up{tag="web-blog"}`, "0", 5*time.Second)
	_, page := w.get("/")
	for _, want := range []string{`class="pool pool-bad" data-pool="BlogPool" data-pool-state="Stopped"`,
		`class="pool pool-ok" data-pool="ShopPool" data-pool-state="Started"`} {
		if !strings.Contains(page, want) {
			t.Errorf("status page lacks %s", want)
		}
	}
	checkPoolsInChromium(t, "http://"+w.addr+"/")
	_ = w.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-w.done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("still running 60 s after SIGTERM")
	}
}

// eventsUntil yields the events of tag until one with id arrives, or fails the test
// after the deadline.
func (w *watchDaemon) eventsUntil(tag string, id int, within time.Duration) func(func(jsonEvent) bool) {
	return func(yield func(jsonEvent) bool) {
		w.t.Helper()
		deadline := time.After(within)
		for {
			select {
			case e, ok := <-w.events:
				if !ok {
					w.t.Fatalf("event stream ended waiting for %d of %s", id, tag)
				}
				if e.Tag != tag {
					continue
				}
				if !yield(e) || e.ID == id {
					return
				}
			case <-deadline:
				w.t.Fatalf("no event %d of %s within %s", id, tag, within)
			}
		}
	}
}

// checkPoolsInChromium loads the status page in headless Chromium: the DOM names the
// stopped pool, and the screenshot shows its red badge (#c81e1e; the failed row itself
// is purple, budget spent, so the red is the pool's).
func checkPoolsInChromium(t *testing.T, url string) {
	t.Helper()
	dom := string(runChromium(t, "--dump-dom", url))
	if !strings.Contains(dom, `data-pool="BlogPool" data-pool-state="Stopped"`) {
		t.Errorf("Chromium's DOM lacks the stopped pool")
	}
	shot := filepath.Join(t.TempDir(), "pools.png")
	runChromium(t, "--screenshot="+shot, "--window-size=1200,700", "--hide-scrollbars", url)
	counts := countColours(t, shot, [3]uint8{0xc8, 0x1e, 0x1e})
	if counts[0] < 150 {
		t.Errorf("screenshot shows %d red pool pixels; the stopped pool is not visibly red", counts[0])
	}
	if *updateScreenshot {
		copyFile(t, shot, filepath.Join("..", "..", "docs", "watch-pools.png"))
	}
}
