package arch_test

import (
	"strings"
	"testing"
)

// importRule forbids the packages under a path prefix in one build, except some, in the
// spirit of kubelet's import restrictions.
type importRule struct {
	prefix string
	except []string
	why    string
}

// productionRules are what the Windows executable, which an administrator runs on a
// production node, must not link: the lab host (an emulator with real HTTP, FTP and SMTP
// servers) and its server libraries. It keeps only the lab's client (labapi, labhost),
// which --platform lab needs.
var productionRules = []importRule{
	{prefix: "github.com/fclairamb/ftpserverlib", why: "the lab host's FTP server"},
	{prefix: "github.com/emersion/go-smtp", why: "the lab host's SMTP server"},
	{prefix: "github.com/spf13/afero", why: "the lab host's FTP file system"},
	{prefix: module + "/internal/lab", except: []string{module + "/internal/lab/labapi"}, why: "the lab host (emulator); only its client, lab/labapi, belongs in the exe"},
}

// matches reports whether importPath falls under the rule.
func (r importRule) matches(importPath string) bool {
	if importPath != r.prefix && !strings.HasPrefix(importPath, r.prefix+"/") {
		return false
	}
	for _, e := range r.except {
		if importPath == e {
			return false
		}
	}
	return true
}

// TestWindowsExeLinksNoEmulator: the production build (GOOS=windows ./cmd/iiskit) links
// no package of the lab host's servers; nor does a build with the tag iiskit_nolab, which
// stands in for the Windows executable in the start-up figures measured on Linux
// (bench/startup.sh). A failure names the chain of imports that brought one in.
func TestWindowsExeLinksNoEmulator(t *testing.T) {
	for _, b := range []struct{ goos, tags string }{{"windows", ""}, {"linux", "iiskit_nolab"}} {
		t.Run(b.goos+"/"+b.tags, func(t *testing.T) {
			const root = module + "/cmd/iiskit"
			list, byPath := goListTags(t, b.goos, b.tags, "./cmd/iiskit")
			// The rules see the real graph: the lab client is linked, as --platform lab needs it.
			for _, need := range []string{root, module + "/internal/labhost", module + "/internal/lab/labapi"} {
				if _, ok := byPath[need]; !ok {
					t.Fatalf("the build of ./cmd/iiskit does not list %s: go list's output is not what this test expects", need)
				}
			}
			for _, p := range list {
				for _, r := range productionRules {
					if r.matches(p.ImportPath) {
						t.Errorf("GOOS=%s -tags=%q: the executable links %s (%s): %s", b.goos, b.tags, p.ImportPath, r.why,
							strings.Join(importChain(byPath, root, p.ImportPath), " → "))
					}
				}
			}
		})
	}
}

// importChain returns one shortest chain of imports from one package to another.
func importChain(byPath map[string]pkg, from, to string) []string {
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if p == to {
			var chain []string
			for ; p != ""; p = prev[p] {
				chain = append([]string{strings.TrimPrefix(p, module+"/")}, chain...)
			}
			return chain
		}
		for _, imp := range byPath[p].Imports {
			if _, seen := prev[imp]; !seen {
				prev[imp] = p
				queue = append(queue, imp)
			}
		}
	}
	return []string{to + " (no chain found)"}
}
