package config

import (
	"testing"
	"time"
)

func TestWatchDefaultsAndOverrides(t *testing.T) {
	f, err := Parse("w.toml", []byte(`[watch]
quick_interval = "10s"
deep_interval = "1m"
flap_high = 30

[[resource]]
tag = "a"
site = "A"
type = "W3"

[[resource]]
tag = "b"
site = "B"
type = "W3"
quick_interval = "500ms"
failures_before_recover = 3
recover_budget = 0
flap_low = 2.5
`))
	if err != nil {
		t.Fatal(err)
	}
	wantFile := Watch{QuickInterval: 10 * time.Second, DeepInterval: time.Minute, FailuresBeforeRecover: 1,
		RecoverBudget: 3, RecoverWindow: time.Hour, FlapLow: 5, FlapHigh: 30}
	if f.Watch != wantFile {
		t.Errorf("file [watch] = %+v\nwant %+v", f.Watch, wantFile)
	}
	if f.Resources[0].Watch != wantFile {
		t.Errorf("resource a = %+v, want the file's table", f.Resources[0].Watch)
	}
	wantB := wantFile
	wantB.QuickInterval, wantB.FailuresBeforeRecover, wantB.RecoverBudget, wantB.FlapLow = 500*time.Millisecond, 3, 0, 2.5
	if f.Resources[1].Watch != wantB {
		t.Errorf("resource b = %+v\nwant %+v", f.Resources[1].Watch, wantB)
	}
	empty, err := Parse("e.toml", []byte("[[resource]]\ntag = \"a\"\nsite = \"A\"\ntype = \"W3\"\n"))
	if err != nil || empty.Resources[0].Watch != DefaultWatch {
		t.Errorf("without [watch]: %+v, %v; want DefaultWatch", empty.Resources[0].Watch, err)
	}
}

func TestWatchInvalid(t *testing.T) {
	const res = "[[resource]]\ntag = \"a\"\nsite = \"A\"\ntype = \"W3\"\n"
	tests := []struct{ name, data, want string }{
		{"unknown key", "[watch]\nquick = \"1s\"\n", "w.toml:2: key watch.quick: unknown key"},
		{"zero interval", "[watch]\nquick_interval = \"0s\"\n", `w.toml:2: key watch.quick_interval: "0s" must be longer than zero`},
		{"negative interval", "[watch]\ndeep_interval = \"-5s\"\n", `w.toml:2: key watch.deep_interval: "-5s" must be longer than zero`},
		{"deep shorter than quick", "[watch]\nquick_interval = \"1m\"\ndeep_interval = \"30s\"\n", "w.toml:3: key watch.deep_interval: deep_interval (30s) is shorter than quick_interval (1m0s)"},
		{"resource quick above the file's deep", res + "quick_interval = \"10m\"\n", "w.toml:5: key resource.quick_interval: deep_interval (5m0s) is shorter than quick_interval (10m0s)"},
		{"flap_low above flap_high", "[watch]\nflap_low = 40\n", "w.toml:2: key watch.flap_low: flap_low (40) is above flap_high (20)"},
		{"flap out of range", res + "flap_high = 101\n", "w.toml:5: key resource.flap_high: 101 is not a percentage from 0 to 100"},
		{"no failures", res + "failures_before_recover = 0\n", "w.toml:5: key resource.failures_before_recover: must be 1 or more"},
		{"negative budget", "[watch]\nrecover_budget = -1\n", "w.toml:2: key watch.recover_budget: must be 0 (never recover) or more"},
		{"unknown resource key", res + "deep_intervall = \"1m\"\n", "w.toml:5: key resource.deep_intervall: unknown key"},
		{"duplicate tag", res + res, `w.toml:6: key resource.tag: duplicate tag "a" (first defined in resource 1)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("w.toml", []byte(tc.data))
			if err == nil || err.Error() != tc.want {
				t.Errorf("Parse = %v\nwant %s", err, tc.want)
			}
		})
	}
}
