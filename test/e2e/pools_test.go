package e2e

import (
	"encoding/json"
	"fmt"
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
