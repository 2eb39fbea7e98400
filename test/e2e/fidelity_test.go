package e2e

import (
	"strings"
	"testing"
	"time"
)

// TestPausedServiceIsContinued: R2 [ext] sends a Paused service a continue request (a
// start request cannot resume it), then restores the site.
func TestPausedServiceIsContinued(t *testing.T) {
	t.Parallel()
	lab := startLab(t, web)
	lab.ctl("site", web.name, "state", "Stopped")
	lab.ctl("service", "W3SVC", "state", "Paused")
	lab.run(w3Args("restore", web.name)...).expectLines(t, lab, 0, wwwFx.Line(9407))
	lab.run(w3Args("deepcheck", web.name)...).expectLines(t, lab, 0)
}

// TestRemoveWaitsForAPendingStart is M1 with a service that is still starting: remove
// waits for Running, then stops the site (9558). Another action on another tag starts
// the service, which the lab keeps StartPending for 2 s (`lab service NAME pending`).
func TestRemoveWaitsForAPendingStart(t *testing.T) {
	t.Parallel()
	lab := startLab(t, web)
	lab.ctl("service", "W3SVC", "state", "Stopped")
	lab.ctl("service", "W3SVC", "pending", "2s")
	starter := make(chan result, 1)
	go func() {
		starter <- lab.run(append([]string{"recover", "--tag", "iis-starter", "--site", web.name, "--type", "W3"}, fast...)...)
	}()
	waitForStatus(t, lab, "StartPending")
	// A retry interval long enough that M4's ten reads outlast a lab that also keeps the
	// site Stopping for a while.
	lab.run(w3Args("remove", web.name, "--retry-interval", "500ms")...).expectLines(t, lab, 0, wwwFx.Line(9558))
	<-starter // its outcome depends on the race with remove; only remove's is asserted
	lab.run(w3Args("quickcheck", web.name)...).expectLines(t, lab, 1, wwwFx.Line(9704, "Stopped"))
}

// TestSiteInTransition is Q3 as in the original: a site Starting, Stopping or Unknown
// passes quickcheck and deepcheck (without a probe); strict_site_state [ext] fails it.
func TestSiteInTransition(t *testing.T) {
	t.Parallel()
	for _, state := range []string{"Starting", "Stopping", "Unknown"} {
		t.Run(state, func(t *testing.T) {
			t.Parallel()
			lab := startLab(t, web)
			lab.ctl("site", web.name, "state", state)
			lab.run(w3Args("quickcheck", web.name)...).expectLines(t, lab, 0)
			lab.run(w3Args("deepcheck", web.name)...).expectLines(t, lab, 0)
			lab.run(w3Args("quickcheck", web.name, "--strict-site-state")...).expectLines(t, lab, 1, wwwFx.Line(9704, state))
		})
	}
}

// waitForStatus polls `lab status --json` until it mentions want: the state of another
// process, which no event announces.
func waitForStatus(t *testing.T, lab *labHost, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if r := lab.run("lab", "status", "--json"); strings.Contains(r.stdout, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("lab status never showed %s", want)
		}
		time.Sleep(20 * time.Millisecond) // polling an external process's state
	}
}
