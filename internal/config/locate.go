package config

import (
	"bufio"
	"bytes"
	"strings"

	"github.com/BurntSushi/toml"
)

// locator finds the line of a key in a resource file. The TOML decoder reports lines for
// syntax and type errors but not for keys it decoded without complaint (an unknown key,
// a duplicate tag), so iiskit scans the simple layout its resource files have: [defaults]
// and [[resource]] headers followed by key = value lines.
type locator struct {
	lines []string
}

func newLocator(data []byte) locator {
	var l locator
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		l.lines = append(l.lines, sc.Text())
	}
	return l
}

// find returns the 1-based line of key in the n-th (0-based) table named table, or of
// that table's header when the key is absent; 0 when neither is found.
func (l locator) find(table string, n int, key string) int {
	current, count, header := "", -1, 0
	if table == "" {
		count = 0 // top-level keys come before any header
	}
	for i, line := range l.lines {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "[["):
			current = strings.TrimSpace(strings.Trim(t, "[] "))
			if current == table {
				count++
				if count == n {
					header = i + 1
				}
			}
			continue
		case strings.HasPrefix(t, "["):
			current = strings.TrimSpace(strings.Trim(t, "[] "))
			if current == table && n == 0 {
				count, header = 0, i+1
			}
			continue
		}
		if current != table || count != n {
			continue
		}
		k, _, ok := strings.Cut(t, "=")
		if ok && strings.Trim(strings.TrimSpace(k), `"'`) == key {
			return i + 1
		}
	}
	return header
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
		for n := 0; n < len(l.lines); n++ {
			line := l.find(k[0], n, k[1])
			if line == 0 {
				break
			}
			if strings.Contains(l.lines[line-1], k[1]) && strings.Contains(l.lines[line-1], "=") {
				return line
			}
		}
		return l.find(k[0], 0, "")
	}
	return 0
}
