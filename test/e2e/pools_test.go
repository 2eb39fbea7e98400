package e2e

import (
	"encoding/json"
	"fmt"
	"net"
	"regexp"
	"strings"
	"testing"
)

// TestAppPools is SPEC P end to end, each step a separate process against `iiskit lab
// serve`: a stopped pool fails quickcheck (9820) while its site stays Started; recover and
// restore start it again and deepcheck passes; rapid-fail protection stops the pool on
// the fifth worker-process crash, not the fourth; app_pools = [] turns the rules off.
func TestAppPools(t *testing.T) {
	t.Parallel()
	lab := startLab(t, web)
	const shop = "Shop"
	lab.ctl("pool", "ShopPool", "add")
	lab.ctl("site", shop, "add", "--type", "W3", "--binding", "http/"+lab.IP+":8090:", "--pool", "ShopPool", "--stopped")
	shopArgs := func(action string, extra ...string) []string { return w3Args(action, shop, extra...) }

	lab.run(shopArgs("restore")...).expectLines(t, lab, 0, www(shop, 9407))
	lab.run(shopArgs("deepcheck")...).expectLines(t, lab, 0)

	// The fault: the pool stops, the site does not.
	lab.ctl("pool", "ShopPool", "state", "Stopped")
	lab.run(shopArgs("quickcheck")...).expectLines(t, lab, 1, www(shop, 9820, "ShopPool", "Stopped"))
	lab.run(shopArgs("deepcheck")...).expectLines(t, lab, 1, www(shop, 9820, "ShopPool", "Stopped"))
	// recover (P3) starts it; the site answers again.
	lab.run(shopArgs("recover")...).expectLines(t, lab, 0)
	lab.run(shopArgs("deepcheck", "--expect-status", "200-399")...).expectLines(t, lab, 0)

	// Rapid-fail protection: four crashes leave the pool Started, the fifth stops it.
	lab.ctl("pool", "ShopPool", "crash", "4")
	lab.run(shopArgs("quickcheck")...).expectLines(t, lab, 0)
	lab.ctl("pool", "ShopPool", "crash")
	lab.run(shopArgs("quickcheck")...).expectLines(t, lab, 1, www(shop, 9820, "ShopPool", "Stopped"))
	// restore (P2) starts it before the site.
	lab.run(shopArgs("restore")...).expectLines(t, lab, 0, www(shop, 9407))
	lab.run(shopArgs("deepcheck", "--expect-status", "200-399")...).expectLines(t, lab, 0)

	// A pool that does not start: restore and recover say so.
	lab.ctl("pool", "ShopPool", "on-start", "ignore")
	lab.ctl("pool", "ShopPool", "state", "Stopped")
	lab.run(shopArgs("recover")...).expectLines(t, lab, 1, www(shop, 9823, "ShopPool", "Stopped"))
	lab.run(shopArgs("restore")...).expectLines(t, lab, 1, www(shop, 9822, "ShopPool", "Stopped"), www(shop, 9408))

	// app_pools = [] turns the rules off: quickcheck passes on the stopped pool, and only a
	// deep check that expects a good status sees the 503.
	lab.run(shopArgs("quickcheck", "--app-pool", "")...).expectLines(t, lab, 0)
	lab.run(shopArgs("deepcheck", "--app-pool", "")...).expectLines(t, lab, 0)
	lab.run(shopArgs("deepcheck", "--app-pool", "", "--expect-status", "200-399")...).expectLines(t, lab, 1, www(shop, 9759))
	// A pool named in app_pools that does not exist.
	lab.run(shopArgs("quickcheck", "--app-pool", "Gone")...).expectLines(t, lab, 1,
		www(shop, 9821, `Checking LifeKeeper resource "iis-www1".`, "Gone"))
	// remove never stops a pool: the stopped pool stays as it is, and a started one too.
	lab.ctl("pool", "ShopPool", "state", "Started")
	lab.run(shopArgs("remove")...).expectLines(t, lab, 0, www(shop, 9558))
	lab.run(shopArgs("quickcheck", "--app-pool", "")...).expectLines(t, lab, 1, www(shop, 9704, "Stopped"))
	r := lab.run("lab", "status", "--json")
	var st struct {
		Pools []struct{ Name, State string } `json:"pools"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); r.code != 0 || err != nil || fmt.Sprint(st.Pools) != "[{ShopPool Started}]" {
		t.Errorf("the pools after remove: %v (%v)\n%s", st.Pools, err, r.stdout)
	}
}

// TestNagiosPlugin: `iiskit nagios` against the lab, one process per check: OK with the
// site's and pool's states as performance data, CRITICAL for a stopped pool, WARNING for a
// pass with a warning (9773: a binding without an IP), UNKNOWN for bad input and an
// unreachable host; exit 0..3.
func TestNagiosPlugin(t *testing.T) {
	t.Parallel()
	lab := startLab(t, web)
	lab.ctl("pool", "ShopPool", "add")
	lab.ctl("site", "Shop", "add", "--type", "W3", "--binding", "http/"+lab.IP+":8090:", "--pool", "ShopPool")
	port := freeLoopbackPort(t)
	lab.ctl("site", "Any", "add", "--type", "W3", "--binding", fmt.Sprintf("http/*:%d:", port), "--pool", "ShopPool")
	nag := func(extra ...string) result {
		return lab.run(append([]string{"nagios", "--tag", "iis-www1", "--type", "W3", "--retry-interval", "50ms", "--probe-timeout", "500ms"}, extra...)...)
	}
	check := func(r result, code int, status string, perf ...string) {
		t.Helper()
		line, _, _ := strings.Cut(r.stdout, "\n")
		text, data, _ := strings.Cut(line, " | ")
		if r.code != code || !strings.HasPrefix(text, status) || r.stderr != "" {
			t.Errorf("exit %d %q (stderr %q), want exit %d %q...", r.code, line, r.stderr, code, status)
		}
		for _, p := range perf {
			if !strings.Contains(" "+data+" ", " "+p+" ") {
				t.Errorf("perfdata %q lacks %s", data, p)
			}
		}
	}
	check(nag("--site", "Shop"), 0, `IIS OK - site "Shop" (iis-www1) passed the quick check`, "'site_state'=1;;;0;4", "'pool_ShopPool_state'=1;;;0;4")
	check(nag("--site", "Shop", "--deep"), 0, `IIS OK - site "Shop" (iis-www1) passed the deep check`, "'site_state'=1;;;0;4")
	r := nag("--site", "Shop", "--deep")
	if !regexp.MustCompile(` 'time'=[0-9]+(\.[0-9]+)?s;;;0$`).MatchString(strings.TrimSpace(strings.SplitN(r.stdout, "\n", 2)[0])) {
		t.Errorf("time perfdata in %q", r.stdout)
	}

	check(nag("--site", "Any", "--deep"), 1, `IIS WARNING - Checking LifeKeeper protected resource "iis-www1". The IIS configuration for site "Any" does not include an IP address!`)

	lab.ctl("pool", "ShopPool", "state", "Stopped")
	r = nag("--site", "Shop")
	check(r, 2, `IIS CRITICAL - Checking LifeKeeper resource "iis-www1". Application pool "ShopPool" of IIS site "Shop" on system E2E-NODE is not in the started state. Current state is "Stopped".`,
		"'site_state'=1;;;0;4", "'pool_ShopPool_state'=3;;;0;4")
	if long := strings.SplitN(r.stdout, "\n", 2)[1]; !strings.HasPrefix(long, "Error 9820: ") {
		t.Errorf("long output %q", long)
	}
	check(nag("--site", "Shop", "--app-pool", ""), 0, "IIS OK")

	check(nag("--site", "Shop", "--type", "GOPHER"), 3, "IIS UNKNOWN - bad input: ")
	check(nag("--site", "Shop", "--lab", "127.0.0.1:1"), 3, "IIS UNKNOWN - the host could not be asked: ")
}

// freeLoopbackPort is a port free on 127.0.0.1 just now, where a binding without an IP
// listens in the lab.
func freeLoopbackPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
