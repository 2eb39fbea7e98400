package lifekeeper

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"text/template"
)

// Action is one LifeKeeper action and the iiskit command it runs.
type Action struct {
	// Script is LifeKeeper's name of the action (and of its script).
	Script string
	// Command is the iiskit action it runs.
	Command string
}

// Actions are the five actions, in LifeKeeper's names.
var Actions = []Action{
	{"restore", "restore"},
	{"remove", "remove"},
	{"quickCheck", "quickcheck"},
	{"deepCheck", "deepcheck"},
	{"recover", "recover"},
}

// Form is one flavour of the scripts: the interpreter, the folder under the output
// folder and the file name extension.
type Form struct {
	Name, Shell, Dir, Ext string
}

// Forms are the flavours written: Korn shell in the output folder itself, POSIX sh for
// the Generic Application kit in generic/.
var Forms = []Form{
	{Name: "Korn shell", Shell: "/bin/ksh", Dir: ".", Ext: ".ksh"},
	{Name: "Generic Application", Shell: "/bin/sh", Dir: "generic", Ext: ".sh"},
}

// Options describe the scripts of one resource.
type Options struct {
	// Tag is the resource's tag.
	Tag string
	// Exe is the iiskit executable's absolute path.
	Exe string
	// Args are the arguments after the action and --tag, each one argument (e.g.
	// "--config=/etc/iiskit/resources.toml", "--timeout=60s").
	Args []string
	// Version is the generating iiskit's version, written in the header.
	Version string
}

//go:embed action.sh.tmpl
var actionText string

// actionTmpl is parsed on first use: a check run from the same executable never pays
// for it.
var actionTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("action").Funcs(template.FuncMap{"sq": ShellQuote}).Parse(actionText))
})

// Write writes every action script of every form under dir (created if needed),
// replacing earlier ones, and returns the paths written.
func Write(dir string, o Options) ([]string, error) {
	if strings.TrimSpace(o.Tag) == "" {
		return nil, errors.New("no tag")
	}
	if !filepath.IsAbs(o.Exe) {
		return nil, fmt.Errorf("the iiskit path %q is not absolute", o.Exe)
	}
	o.Version = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, o.Version)
	var paths []string
	for _, f := range Forms {
		fdir := filepath.Join(dir, f.Dir)
		if err := os.MkdirAll(fdir, 0o755); err != nil {
			return paths, fmt.Errorf("create %s: %w", fdir, err)
		}
		for _, a := range Actions {
			var b strings.Builder
			err := actionTmpl().Execute(&b, struct {
				Options
				Action
				Form
			}{o, a, f})
			if err != nil {
				return paths, fmt.Errorf("render %s: %w", a.Script, err)
			}
			p := filepath.Join(fdir, a.Script+f.Ext)
			if err := writeFile(p, b.String(), 0o755); err != nil {
				return paths, err
			}
			paths = append(paths, p)
		}
	}
	return paths, nil
}

// writeFile replaces path with text and mode, mode included when the file existed.
func writeFile(path, text string, mode os.FileMode) error {
	if err := os.WriteFile(path, []byte(text), mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(path, mode); err != nil {
		return fmt.Errorf("chmod %s: %w", path, err)
	}
	return nil
}

// ShellQuote makes s one shell word for sh and ksh: in single quotes nothing is special,
// and a single quote itself closes the quotes, is escaped, and reopens them:
//
//	it's  →  'it'\''s'
func ShellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
