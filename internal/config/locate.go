package config

import (
	"strconv"

	"github.com/BurntSushi/toml"
)

// locator finds the line of a key in a resource file. The TOML decoder reports lines for
// syntax and type errors but not for keys it decoded without complaint (an unknown key or
// table, a duplicate tag), so iiskit indexes the file once, after the decoder has accepted
// it, with a lexer reduced to what defines a key: table headers ([a], [[a]], [a.b]), dotted
// keys, keys inside inline tables and arrays of inline tables; strings and comments are
// skipped whole, so a "[x]" or "k = v" inside a multi-line string is not taken for one.
//
// Keys are kept as a tree of nodes (a parent node and one key part lead to a child), so
// indexing stores each part once and costs time and memory linear in the file's size
// however deep its tables and dotted keys go; each lookup walks at most the parts of the
// key looked up.
type locator struct {
	// child maps a node and a key part to the child node; node 0 is the file's top level.
	child map[edge]int
	// line is each node's first defining line (0: only implied, e.g. by a deeper header).
	line []int
	// occurrence maps an array of tables' node and an index to the root of that element's
	// own keys, so the i-th [[resource]] can be told from the first one holding a key.
	occurrence map[occurrenceKey]int
	// count is how many elements an array of tables' node has had so far.
	count map[int]int
}

type edge struct {
	node int
	part string
}

type occurrenceKey struct{ node, n int }

// position is where the lexer is in the key tree: path is the key's node without array
// indices (as the decoder names undecoded keys), elem the same key under the innermost
// array element that holds it (equal to path outside arrays of tables).
type position struct{ path, elem int }

func newLocator(data []byte) locator {
	l := locator{child: map[edge]int{}, line: []int{0}, occurrence: map[occurrenceKey]int{}, count: map[int]int{}}
	lx := lexer{data: data, line: 1, l: &l}
	lx.file()
	return l
}

// node returns the child of n for part, created when create is set; -1 when absent.
func (l *locator) node(n int, part string, create bool) int {
	if c, ok := l.child[edge{n, part}]; ok {
		return c
	}
	if !create {
		return -1
	}
	l.line = append(l.line, 0)
	c := len(l.line) - 1
	l.child[edge{n, part}] = c
	return c
}

// define walks parts from p, creating nodes and giving the ones without a line this one.
func (l *locator) define(p position, parts []string, line int) position {
	walk := func(n int) int {
		for _, part := range parts {
			n = l.node(n, part, true)
			if l.line[n] == 0 {
				l.line[n] = line
			}
		}
		return n
	}
	same := p.path == p.elem
	p.path = walk(p.path)
	if same {
		p.elem = p.path
	} else {
		p.elem = walk(p.elem)
	}
	return p
}

// element starts the next element of the array of tables at path, defined on line.
func (l *locator) element(path, line int) int {
	n := l.count[path]
	l.count[path]++
	l.line = append(l.line, line)
	root := len(l.line) - 1
	l.occurrence[occurrenceKey{path, n}] = root
	return root
}

// key locates an undecoded key such as resource.tagg, defaults.retry or unknown_table:
// the line that first defines it, or else its nearest defined parent; 0 when none is.
func (l locator) key(k toml.Key) int {
	found, n := 0, 0
	for _, part := range k {
		if n = l.node(n, part, false); n < 0 {
			break
		}
		if l.line[n] > 0 {
			found = l.line[n]
		}
	}
	return found
}

// tableKey locates key in the (not array) table named table, such as watch.
func (l locator) tableKey(table, key string) int { return l.key(toml.Key{table, key}) }

// resourceKey locates key in the i-th [[resource]] table, or that table's start when the
// key is absent from it.
func (l locator) resourceKey(i int, key string) int {
	if arr := l.node(0, "resource", false); arr >= 0 {
		if root, ok := l.occurrence[occurrenceKey{arr, i}]; ok {
			if n := l.node(root, key, false); n >= 0 && l.line[n] > 0 {
				return l.line[n]
			}
			return l.line[root]
		}
	}
	return l.key(toml.Key{"resource", key})
}

// lexer walks a resource file the decoder has accepted. It never fails: on input it does
// not expect it moves on by at least one byte, so it ends on any data.
type lexer struct {
	data []byte
	i    int
	line int
	l    *locator
}

func (x *lexer) file() {
	top := position{}
	at := top
	for x.i < len(x.data) {
		x.space(true)
		if x.i >= len(x.data) {
			break
		}
		line := x.line
		if x.data[x.i] == '[' {
			array := x.i+1 < len(x.data) && x.data[x.i+1] == '['
			x.i++
			if array {
				x.i++
			}
			at = x.header(x.keyParts(), array, line)
			x.restOfLine()
			continue
		}
		parts := x.keyParts()
		x.space(false)
		if len(parts) == 0 || x.i >= len(x.data) || x.data[x.i] != '=' {
			x.restOfLine()
			continue
		}
		x.i++
		x.value(x.l.define(at, parts, line), 0)
		x.restOfLine()
	}
}

// header defines a [table] or [[array]] header's parts and returns where its keys go.
func (x *lexer) header(parts []string, array bool, line int) position {
	l := x.l
	if array {
		p := l.define(position{}, parts, line)
		return position{path: p.path, elem: l.element(p.path, line)}
	}
	// [resource.extra] belongs to the latest [[resource]]: find the deepest array prefix.
	n, arrayAt, arrayNode := 0, -1, 0
	for k, part := range parts {
		if n = l.node(n, part, false); n < 0 {
			break
		}
		if l.count[n] > 0 {
			arrayAt, arrayNode = k, n
		}
	}
	p := l.define(position{}, parts, line)
	if arrayAt < 0 {
		return p
	}
	root := l.occurrence[occurrenceKey{arrayNode, l.count[arrayNode] - 1}]
	q := l.define(position{path: root, elem: root}, parts[arrayAt+1:], line)
	return position{path: p.path, elem: q.elem}
}

// value skips one value, defining the keys of inline tables in it under at.
func (x *lexer) value(at position, depth int) {
	x.space(false)
	if x.i >= len(x.data) || depth > MaxNesting {
		return
	}
	switch c := x.data[x.i]; {
	case c == '{':
		x.inlineTable(at, depth)
	case c == '[':
		x.i++
		for x.i < len(x.data) {
			x.space(true)
			if x.i >= len(x.data) {
				return
			}
			start := x.i
			switch x.data[x.i] {
			case ']':
				x.i++
				return
			case ',':
				x.i++
			case '{':
				// An array of inline tables: each is an element, as [[a]] would be.
				root := x.l.element(at.path, x.line)
				x.inlineTable(position{path: at.path, elem: root}, depth+1)
			default:
				x.value(at, depth+1)
			}
			if x.i == start {
				x.i++
			}
		}
	case c == '"' || c == '\'':
		next, lines := skipString(x.data, x.i)
		x.i, x.line = next, x.line+lines
	default:
		x.bare()
	}
}

// inlineTable skips { k = v, ... } at x.i, defining its keys under at.
func (x *lexer) inlineTable(at position, depth int) {
	x.i++
	for x.i < len(x.data) {
		x.space(true)
		if x.i >= len(x.data) {
			return
		}
		start := x.i
		switch x.data[x.i] {
		case '}':
			x.i++
			return
		case ',':
			x.i++
		default:
			line := x.line
			parts := x.keyParts()
			x.space(false)
			if len(parts) > 0 && x.i < len(x.data) && x.data[x.i] == '=' {
				x.i++
				x.value(x.l.define(at, parts, line), depth+1)
			}
		}
		if x.i == start {
			x.i++
		}
	}
}

// bare skips a number, boolean or date-time, including a date-time's space separator.
func (x *lexer) bare() {
	start := x.i
	for x.i < len(x.data) {
		switch x.data[x.i] {
		case ' ':
			// "1979-05-27 07:32:00": a date followed by a space and a digit goes on.
			if x.i-start == 10 && x.data[start+4] == '-' && x.i+1 < len(x.data) && isDigit(x.data[x.i+1]) {
				x.i++
				continue
			}
			return
		case '\t', '\r', '\n', ',', ']', '}', '#':
			return
		}
		x.i++
	}
}

// keyParts reads a possibly dotted key of bare and quoted parts.
func (x *lexer) keyParts() []string {
	var parts []string
	for x.i < len(x.data) {
		x.space(false)
		if x.i >= len(x.data) {
			break
		}
		c := x.data[x.i]
		switch {
		case c == '"' || c == '\'':
			next, lines := skipString(x.data, x.i)
			parts = append(parts, unquoteKey(string(x.data[x.i:next])))
			x.i, x.line = next, x.line+lines
		case isBare(c):
			start := x.i
			for x.i < len(x.data) && isBare(x.data[x.i]) {
				x.i++
			}
			parts = append(parts, string(x.data[start:x.i]))
		default:
			return parts
		}
		x.space(false)
		if x.i >= len(x.data) || x.data[x.i] != '.' {
			break
		}
		x.i++
	}
	return parts
}

// unquoteKey returns a quoted key part's name: a literal part as written, a basic one
// with its escapes resolved (as written when they are not Go's, which TOML's nearly are).
func unquoteKey(q string) string {
	if len(q) >= 2 && q[0] == '\'' && q[len(q)-1] == '\'' {
		return q[1 : len(q)-1]
	}
	if s, err := strconv.Unquote(q); err == nil {
		return s
	}
	if len(q) >= 2 {
		return q[1 : len(q)-1]
	}
	return q
}

// space skips blanks and comments, and line ends when lines is set.
func (x *lexer) space(lines bool) {
	for x.i < len(x.data) {
		switch x.data[x.i] {
		case ' ', '\t', '\r':
			x.i++
		case '\n':
			if !lines {
				return
			}
			x.line++
			x.i++
		case '#':
			for x.i < len(x.data) && x.data[x.i] != '\n' {
				x.i++
			}
		default:
			return
		}
	}
}

// restOfLine moves past the end of the current line.
func (x *lexer) restOfLine() {
	for x.i < len(x.data) && x.data[x.i] != '\n' {
		x.i++
	}
	if x.i < len(x.data) {
		x.i++
		x.line++
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '_' || c == '-'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
