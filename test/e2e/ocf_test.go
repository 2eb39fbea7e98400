package e2e

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/iiskit/iiskit/internal/lock"
)

// ocfAgent runs `iiskit ocf ACTION` with the OCF environment of one W3 resource on lab,
// plus extra variables, and returns the exit code and its ocf-exit-reason lines.
func ocfAgent(t *testing.T, lab *labHost, action string, extra ...string) (int, []string, result) {
	t.Helper()
	env := append([]string{
		"OCF_RESOURCE_INSTANCE=iis-www1",
		"OCF_RESKEY_site=www1",
		"OCF_RESKEY_type=W3",
		"OCF_RESKEY_lab=" + lab.URL,
		"OCF_RESKEY_retry_interval=50ms",
		"OCF_RESKEY_CRM_meta_timeout=20000",
	}, lab.env...)
	r := runIISKit(t, append(env, extra...), "ocf", action)
	var reasons []string
	for _, l := range strings.Split(r.stderr, "\n") {
		if reason, ok := strings.CutPrefix(l, "ocf-exit-reason:"); ok {
			reasons = append(reasons, reason)
		}
	}
	return r.code, reasons, r
}

// TestOCFTransientListingFailure: a site listing that fails (appcmd failing, here the lab
// host's `lab listings fail`) says nothing about the site, so monitor and start answer
// OCF_ERR_GENERIC (1) with a reason naming the failed listing, never OCF_ERR_INSTALLED
// (5), which would ban the node until a cleanup. Once the listing answers again, the
// same resource is healthy; 5 stays for a site that is really absent.
func TestOCFTransientListingFailure(t *testing.T) {
	lab := startLab(t, site{name: "www1", bindings: "http/IP:8080:", autoStart: true, id: 1})
	if code, reasons, r := ocfAgent(t, lab, "monitor"); code != 0 || len(reasons) != 0 {
		t.Fatalf("monitor of a healthy site: exit %d %q\n%s", code, reasons, r.stderr)
	}
	for _, c := range []struct {
		action string
		extra  []string
	}{
		{"monitor", nil},
		{"monitor", []string{"OCF_CHECK_LEVEL=10"}},
		{"start", nil},
	} {
		lab.ctl("listings", "fail", "1")
		code, reasons, r := ocfAgent(t, lab, c.action, c.extra...)
		if code != 1 || len(reasons) != 1 {
			t.Errorf("%s %v with a failed listing: exit %d, reasons %q; want 1 (OCF_ERR_GENERIC) and one reason\n%s", c.action, c.extra, code, reasons, r.stderr)
			continue
		}
		if !strings.Contains(reasons[0], "could not be asked") || !strings.Contains(reasons[0], "lab listings fail") {
			t.Errorf("%s: reason %q does not name the failed listing", c.action, reasons[0])
		}
		if code, reasons, r := ocfAgent(t, lab, "monitor"); code != 0 {
			t.Errorf("monitor once the listing answers again: exit %d %q\n%s", code, reasons, r.stderr)
		}
	}
	for _, action := range []string{"monitor", "start"} {
		if code, reasons, r := ocfAgent(t, lab, action, "OCF_RESKEY_site=nosuch"); code != 5 || len(reasons) != 1 {
			t.Errorf("%s of an absent site: exit %d %q, want 5 (OCF_ERR_INSTALLED)\n%s", action, code, reasons, r.stderr)
		}
	}
}

// TestOCFUnreachableLab: a lab host that cannot be reached is OCF_ERR_GENERIC with a
// reason naming it, for monitor and start alike.
func TestOCFUnreachableLab(t *testing.T) {
	lab := startLab(t, site{name: "www1", bindings: "http/IP:8080:", autoStart: true, id: 1})
	gone := *lab
	gone.URL = "http://" + lab.IP + ":1"
	for _, action := range []string{"monitor", "start"} {
		code, reasons, r := ocfAgent(t, &gone, action)
		if code != 1 || len(reasons) != 1 || !strings.Contains(reasons[0], "not reachable") || !strings.Contains(reasons[0], gone.URL) {
			t.Errorf("%s with the lab unreachable: exit %d, reasons %q; want 1 naming %s as not reachable\n%s", action, code, reasons, gone.URL, r.stderr)
		}
	}
}

// causeOf returns the "cause" key of each JSON event line on stdout.
func causeOf(t *testing.T, stdout string) []string {
	t.Helper()
	var causes []string
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var e struct {
			Cause string `json:"cause"`
		}
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("not a JSON event line: %q", l)
		}
		causes = append(causes, e.Cause)
	}
	return causes
}

// TestCauseNamedWithoutVerbose: when the host cannot be reached, the events keep the
// original's texts ("StateCode = 0", "was not found"), so the first line on stderr names
// the real cause, without --verbose, and the deciding JSON event carries it as "cause".
func TestCauseNamedWithoutVerbose(t *testing.T) {
	lab := startLab(t, web)
	gone := "http://" + lab.IP + ":1"
	for _, c := range []struct {
		action string
		ids    []int
	}{{"quickcheck", []int{9705}}, {"restore", []int{9414, 9408}}, {"remove", []int{9557}}} {
		r := lab.run(w3Args(c.action, web.name, "--lab", gone)...)
		r.expect(t, 1, c.ids...)
		first, _, _ := strings.Cut(r.stderr, "\n")
		if !strings.HasPrefix(first, "iiskit "+c.action+": ") || !strings.Contains(first, gone) || !strings.Contains(first, "not reachable") {
			t.Errorf("%s: first line on stderr %q does not name the unreachable host %s", c.action, first, gone)
		}
		causes := causeOf(t, r.stdout)
		if len(causes) == 0 || !strings.Contains(causes[0], "could not be asked") || !strings.Contains(causes[0], gone) {
			t.Errorf("%s: the deciding event's cause is %q", c.action, causes)
		}
	}
}

// TestLockFolderUnusable: a lock folder others can write to is a setup mistake, not a
// site failure: event 9805 [ext] naming the folder and what is wrong (so --json prints
// it), exit 1, and an OCF reason naming both.
func TestLockFolderUnusable(t *testing.T) {
	lab := startLab(t, web)
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	env := append(append([]string(nil), lab.env...), "IISKIT_LOCK_DIR="+dir)
	r := runIISKit(t, env, w3Args("quickcheck", web.name)...)
	r.expect(t, 1, 9805)
	if len(r.events) == 1 && (!strings.Contains(r.events[0].Message, dir) || !strings.Contains(r.events[0].Message, "writable by group or others")) {
		t.Errorf("9805 does not name the folder and what is wrong: %q", r.events[0].Message)
	}
	code, reasons, or := ocfAgent(t, lab, "monitor", "IISKIT_LOCK_DIR="+dir, "OCF_RESKEY_site="+web.name)
	if code != 1 || len(reasons) != 1 || !strings.Contains(reasons[0], dir) || !strings.Contains(reasons[0], "writable by group or others") {
		t.Errorf("OCF monitor: exit %d, reasons %q; want 1 naming %s and what is wrong\n%s", code, reasons, dir, or.stderr)
	}
}

// TestOCFBusyLockReason: a monitor that waited for another action's lock until its
// deadline names the lock in its reason, not "the action failed without an event".
func TestOCFBusyLockReason(t *testing.T) {
	lab := startLab(t, web)
	dir := t.TempDir()
	release, err := lock.Acquire(context.Background(), dir, "iis-www1")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	code, reasons, r := ocfAgent(t, lab, "monitor", "IISKIT_LOCK_DIR="+dir, "OCF_RESKEY_site="+web.name, "OCF_RESKEY_CRM_meta_timeout=1000")
	if code != 1 || len(reasons) != 1 || !strings.Contains(reasons[0], "lock") || strings.Contains(reasons[0], "without an event") {
		t.Errorf("monitor on a busy lock: exit %d, reasons %q; want 1 naming the lock\n%s", code, reasons, r.stderr)
	}
}
