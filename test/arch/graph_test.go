// Package arch_test checks the shape of the import graph: imports flow one way between
// folders, and the production build links only what it needs.
package arch_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// module is the module path of this repository.
const module = "github.com/iiskit/iiskit"

// pkg is one package as `go list -json` reports it.
type pkg struct {
	ImportPath string
	Imports    []string
	Standard   bool
	Error      *struct{ Err string }
}

// goList runs `go list -deps -json` on patterns from the repository root for one target
// system, and returns the packages by import path in the order go list gives them.
func goList(t *testing.T, goos string, patterns ...string) ([]pkg, map[string]pkg) {
	t.Helper()
	return goListTags(t, goos, "", patterns...)
}

// goListTags is goList with build tags (comma-separated, may be empty).
func goListTags(t *testing.T, goos, tags string, patterns ...string) ([]pkg, map[string]pkg) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	args := append([]string{"list", "-deps", "-tags=" + tags, "-json=ImportPath,Imports,Standard,Error"}, patterns...)
	cmd := exec.Command("go", args...)
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH=amd64", "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list for GOOS=%s: %v\n%s", goos, err, stderr.Bytes())
	}
	var list []pkg
	byPath := map[string]pkg{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("reading go list's output for GOOS=%s: %v", goos, err)
		}
		if p.Error != nil {
			t.Fatalf("go list for GOOS=%s: %s: %s", goos, p.ImportPath, p.Error.Err)
		}
		list = append(list, p)
		byPath[p.ImportPath] = p
	}
	return list, byPath
}

// folderOf returns the folder of a package of this module relative to the repository
// root ("internal/lab/labapi"), or "" for a package outside the module.
func folderOf(importPath string) string {
	rest, ok := strings.CutPrefix(importPath, module+"/")
	if !ok {
		return ""
	}
	return rest
}

// under reports whether folder f is dir or inside it.
func under(f, dir string) bool {
	return f == dir || strings.HasPrefix(f, dir+"/")
}

// ancestors returns f and every folder above it, the repository root excluded:
// "internal/lab/labapi" gives internal/lab/labapi, internal/lab and internal.
func ancestors(f string) []string {
	var out []string
	for f != "." && f != "" {
		out = append(out, f)
		f = filepath.ToSlash(filepath.Dir(f))
	}
	return out
}

// edge is why one folder depends on another: one import that makes it so.
type edge struct{ from, to string }

// folderGraph builds the folder-level graph of the module's packages: folder A depends on
// folder B when a package anywhere under A imports a package anywhere under B that is not
// itself under A (a folder's imports of its own subtree do not count). Each edge keeps one
// import that makes it, to name in a failure.
func folderGraph(list []pkg) (map[string][]string, map[[2]string]edge) {
	graph := map[string][]string{}
	why := map[[2]string]edge{}
	for _, p := range list {
		from := folderOf(p.ImportPath)
		if from == "" {
			continue
		}
		for _, a := range ancestors(from) {
			if _, ok := graph[a]; !ok {
				graph[a] = nil
			}
		}
		for _, imp := range p.Imports {
			to := folderOf(imp)
			if to == "" {
				continue
			}
			for _, a := range ancestors(from) {
				if under(to, a) {
					continue // a's own subtree
				}
				for _, b := range ancestors(to) {
					k := [2]string{a, b}
					if _, ok := why[k]; !ok {
						why[k] = edge{p.ImportPath, imp}
						graph[a] = append(graph[a], b)
					}
				}
			}
		}
	}
	return graph, why
}

// cycles returns the strongly connected components of graph with more than one folder
// (Tarjan's algorithm): each is a set of folders that import one another in a circle.
func cycles(graph map[string][]string) [][]string {
	index := map[string]int{}
	low := map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	var out [][]string
	next := 0
	var visit func(v string)
	visit = func(v string) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range graph[v] {
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] != index[v] {
			return
		}
		var scc []string
		for {
			w := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[w] = false
			scc = append(scc, w)
			if w == v {
				break
			}
		}
		if len(scc) > 1 {
			out = append(out, scc)
		}
	}
	for v := range graph {
		if _, seen := index[v]; !seen {
			visit(v)
		}
	}
	return out
}

// TestNoFolderCycles: imports flow one way between folders. A folder depends on another
// when any package under it imports any package under the other (its own subtree
// excluded); on Linux and on Windows, no chain of such dependencies leads back to where it
// started. (platform/ once held winhost and labhost, which import appcmd and lab/labapi,
// which import platform: a cycle between the folders although none between packages.)
func TestNoFolderCycles(t *testing.T) {
	for _, goos := range []string{"linux", "windows"} {
		t.Run(goos, func(t *testing.T) {
			list, _ := goList(t, goos, "./...")
			graph, why := folderGraph(list)
			found := cycles(graph)
			for _, scc := range found {
				slices.Sort(scc)
				in := map[string]bool{}
				for _, f := range scc {
					in[f] = true
				}
				var because []string
				for _, a := range scc {
					for _, b := range graph[a] {
						if in[b] {
							e := why[[2]string{a, b}]
							because = append(because, a+" → "+b+" ("+folderOf(e.from)+" imports "+folderOf(e.to)+")")
						}
					}
				}
				slices.Sort(because)
				t.Errorf("GOOS=%s: a folder-level import cycle among %s:\n  %s", goos, strings.Join(scc, ", "), strings.Join(because, "\n  "))
			}
			t.Logf("GOOS=%s: %d folder-level cycles among %d folders", goos, len(found), len(graph))
		})
	}
}
