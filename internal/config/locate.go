package config

import (
	"strings"

	"github.com/BurntSushi/toml"
)

// locator finds the line of a key in a resource file. The TOML decoder reports lines for
// syntax and type errors but not for keys it decoded without complaint (an unknown key,
// a duplicate tag), so iiskit scans the simple layout its resource files have: [defaults]
// and [[resource]] headers followed by key = value lines. The file is indexed once, so
// each lookup is a map access: locating a key stays linear in the file's size however
// many tables it has.
type locator struct {
	// keys maps a table occurrence and a key to the key's line; headers maps a table
	// occurrence to its header's line; first maps a table name and a key to the line in
	// the first occurrence that holds it.
	keys    map[tableKey]int
	headers map[tableAt]int
	first   map[[2]string]int
}

// tableAt is the n-th (0-based) occurrence of a table name ("" for the top level).
type tableAt struct {
	table string
	n     int
}

type tableKey struct {
	tableAt
	key string
}

func newLocator(data []byte) locator {
	l := locator{keys: map[tableKey]int{}, headers: map[tableAt]int{}, first: map[[2]string]int{}}
	counts := map[string]int{}
	current := tableAt{}
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "["):
			name := strings.TrimSpace(strings.Trim(t, "[] "))
			n := 0
			if strings.HasPrefix(t, "[[") {
				n = counts[name]
				counts[name]++
			}
			current = tableAt{name, n}
			if _, seen := l.headers[current]; !seen {
				l.headers[current] = i + 1
			}
			continue
		}
		k, _, ok := strings.Cut(t, "=")
		if !ok {
			continue
		}
		key := strings.Trim(strings.TrimSpace(k), `"'`)
		tk := tableKey{current, key}
		if _, seen := l.keys[tk]; !seen {
			l.keys[tk] = i + 1
		}
		if _, seen := l.first[[2]string{current.table, key}]; !seen {
			l.first[[2]string{current.table, key}] = i + 1
		}
	}
	return l
}

// find returns the 1-based line of key in the n-th (0-based) table named table, or of
// that table's header when the key is absent; 0 when neither is found.
func (l locator) find(table string, n int, key string) int {
	if line, ok := l.keys[tableKey{tableAt{table, n}, key}]; ok {
		return line
	}
	return l.headers[tableAt{table, n}]
}

// resourceKey locates key in the i-th [[resource]] table.
func (l locator) resourceKey(i int, key string) int { return l.find("resource", i, key) }

// key locates an undecoded key such as resource.tagg or defaults.retry; for an array
// table it reports the first table holding the key.
func (l locator) key(k toml.Key) int {
	switch len(k) {
	case 1:
		return l.find("", 0, k[0])
	case 2:
		if line, ok := l.first[[2]string{k[0], k[1]}]; ok {
			return line
		}
		return l.find(k[0], 0, "")
	}
	return 0
}
