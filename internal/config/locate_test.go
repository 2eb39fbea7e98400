package config

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// TestLocateKeys: every key the decoder leaves undecoded or a rule refuses is named with
// the line that defines it, however the file spells the key (table headers, dotted keys,
// inline tables, quoted parts, arrays of inline tables), and text inside strings is not
// taken for keys.
func TestLocateKeys(t *testing.T) {
	const res = "[[resource]]\ntag = \"a\"\nsite = \"A\"\ntype = \"W3\"\n"
	tests := []struct{ name, data, want string }{
		{"unknown table", "[defaults]\nretry_interval = \"1s\"\n\n[unknown_table]\nx = 1\n",
			"u.toml:4: key unknown_table: unknown key"},
		{"unknown array of tables", res + "[[extra]]\nx = 1\n",
			"u.toml:5: key extra: unknown key"},
		{"unknown sub-table of a resource", res + "[resource.extra]\nx = 1\n",
			"u.toml:5: key resource.extra: unknown key"},
		{"unknown sub-table of the second resource", res + res + "[resource.extra]\n",
			"u.toml:9: key resource.extra: unknown key"},
		{"dotted key in a resource", res + "sub.key = 1\n",
			"u.toml:5: key resource.sub.key: unknown key"},
		{"type error without a line from the decoder", "\nresource.tagg = 1\n",
			"u.toml:2: key resource: incompatible types: TOML value has type map[string]any; destination has type slice"},
		{"quoted key", res + "\"tagg\" = 1\n",
			"u.toml:5: key resource.tagg: unknown key"},
		{"key in an inline table", res + "opts = { a = 1 }\n",
			"u.toml:5: key resource.opts: unknown key"},
		{"unknown key in the [defaults] inline table", "defaults = { retry_interval = \"1s\", retry = 2 }\n",
			"u.toml:1: key defaults.retry: unknown key"},
		{"table header inside a multi-line string", "[[resource]]\ntag = \"a\"\nsite = \"\"\"\n[fake]\ntagg = 1\n\"\"\"\ntype = \"W3\"\ntagg = 2\n",
			"u.toml:8: key resource.tagg: unknown key"},
		{"key after a comment with brackets", "# [watch] quick = 1\n" + res + "# tagg = 1\ntagg = 2\n",
			"u.toml:7: key resource.tagg: unknown key"},
		{"array of inline tables", "resource = [\n  { tag = \"a\", site = \"A\", type = \"W3\" },\n  { tag = \"b\", site = \"B\", type = \"W3\", bogus = 1 },\n]\n",
			"u.toml:3: key resource.bogus: unknown key"},
		{"duplicate tag in an array of inline tables", "resource = [\n  { tag = \"a\", site = \"A\", type = \"W3\" },\n  { tag = \"a\", site = \"B\", type = \"W3\" },\n]\n",
			`u.toml:3: key resource.tag: duplicate tag "a" (first defined in resource 1)`},
		{"rule on a key after a sub-table", res + "[resource.extra]\n" + res + "quick_interval = \"10m\"\n",
			"u.toml:5: key resource.extra: unknown key"},
		{"rule on the second resource's key", res + "\n" + res + "ftp_user = \"u\"\n",
			"u.toml:10: key resource.ftp_user: FTP credentials on a W3 resource"},
		{"missing site named at its table", res + "[[resource]]\ntag = \"b\"\ntype = \"W3\"\n",
			"u.toml:5: key resource.site: missing or empty site name"},
		{"watch key", "[watch]\n\nflap_low = 200\n",
			"u.toml:3: key watch.flap_low: 200 is not a percentage from 0 to 100"},
		{"watch dotted key", "# protection\n\nwatch.flap_low = 200\n",
			"u.toml:3: key watch.flap_low: 200 is not a percentage from 0 to 100"},
		{"watch inline table", "\nwatch = { quick_interval = \"1m\",\n  deep_interval = \"30s\" }\n",
			"u.toml:3: key watch.deep_interval: deep_interval (30s) is shorter than quick_interval (1m0s)"},
		{"watch relation blamed on the key set", "[watch]\nflap_high = 20\n\nflap_low = 30\n",
			"u.toml:4: key watch.flap_low: flap_low (30) is above flap_high (20)"},
		{"unknown watch key after a date", "[watch]\nwhen = 1979-05-27 07:32:00Z\nquick = 1\n",
			"u.toml:2: key watch.when: unknown key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("u.toml", []byte(tc.data))
			if err == nil || err.Error() != tc.want {
				t.Errorf("Parse = %v\nwant %s", err, tc.want)
			}
		})
	}
}

// TestLocateLinear: a file of long keys in deeply nested inline tables is indexed with
// memory linear in its size (the key tree stores each part once, never a path per key).
func TestLocateLinear(t *testing.T) {
	var b strings.Builder
	b.WriteString("x = ")
	for range MaxNesting - 1 {
		fmt.Fprintf(&b, "{%s = ", strings.Repeat("k", 10000))
	}
	b.WriteString("{")
	for i := range 20000 {
		fmt.Fprintf(&b, "a%d = 1, ", i)
	}
	b.WriteString("z = 1}" + strings.Repeat("}", MaxNesting-1) + "\n")
	data := []byte(b.String())
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	l := newLocator(data)
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 64*uint64(len(data)) {
		t.Errorf("indexing %d bytes allocated %d bytes", len(data), grew)
	}
	if got := l.key(append(make([]string, 0), "x")); got != 1 {
		t.Errorf("x at line %d, want 1", got)
	}
}

// FuzzLocate feeds arbitrary bytes to the locator (which Parse runs only on files the
// decoder accepted): it ends, without a panic, on anything.
func FuzzLocate(f *testing.F) {
	f.Add([]byte("[[resource]]\ntag = \"a\"\n[resource.x]\ny = { z = [ {a=1}, 2 ] }\n"))
	f.Add([]byte("a = [ { \"q\\\".x\" = 1 ]]] }}} ,,, \n[[[\n'''"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l := newLocator(data)
		_ = l.resourceKey(0, "tag")
		_ = l.tableKey("watch", "quick_interval")
	})
}
