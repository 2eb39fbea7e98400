package lifekeeper

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"text/template"

	"github.com/iiskit/iiskit/internal/invocation"
	"github.com/iiskit/iiskit/internal/safefile"
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
	// Exe is the iiskit executable's absolute path, on this machine's OS or Windows'
	// (the scripts may be written here for Windows nodes).
	Exe string
	// Args are the arguments after the action and --tag, each one argument (e.g.
	// "--config=/etc/iiskit/resources.toml", "--timeout=60s").
	Args []string
	// Version is the generating iiskit's version, written in the header.
	Version string
	// Resource, when set, is a resource defined inline: it is written to ResourceFileName
	// beside the scripts, which name that file with --config before Args.
	Resource *Resource
}

//go:embed action.sh.tmpl
var actionText string

// actionTmpl is parsed on first use: a check run from the same executable never pays
// for it.
var actionTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("action").Funcs(template.FuncMap{"sq": ShellQuote}).Parse(actionText))
})

// Write writes every action script of every form under dir (created if needed), and the
// resource file first when o.Resource is set, replacing earlier ones, and returns the
// paths written. It writes all or nothing (safefile.ReplaceFiles): every file is rendered
// first, then written to a temporary file and renamed into place, so a script LifeKeeper
// runs meanwhile is the old one or the new one, a link planted at a script's name is
// replaced and never followed, and a failure leaves the folder as it was. A folder that
// is a link, belongs to another user (root excepted) or is writable by others is refused
// with safefile.ErrUnsafeFolder: root runs these scripts.
func Write(dir string, o Options) ([]string, error) {
	if strings.TrimSpace(o.Tag) == "" {
		return nil, errors.New("no tag")
	}
	if !filepath.IsAbs(o.Exe) && !invocation.WindowsAbs(o.Exe) {
		return nil, fmt.Errorf("the iiskit path %q is not absolute", o.Exe)
	}
	o.Version = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, o.Version)
	var files []safefile.File
	if o.Resource != nil {
		path := filepath.Join(dir, ResourceFileName)
		b, err := renderResource(*o.Resource)
		if err != nil {
			return nil, err
		}
		files = append(files, safefile.File{Path: path, Data: b, Mode: 0o644})
		o.Args = append([]string{"--config=" + path}, o.Args...)
	}
	for _, f := range Forms {
		for _, a := range Actions {
			var b bytes.Buffer
			err := actionTmpl().Execute(&b, struct {
				Options
				Action
				Form
			}{o, a, f})
			if err != nil {
				return nil, fmt.Errorf("render %s: %w", a.Script, err)
			}
			files = append(files, safefile.File{Path: filepath.Join(dir, f.Dir, a.Script+f.Ext), Data: b.Bytes(), Mode: 0o755})
		}
	}
	if err := safefile.ReplaceFiles(files); err != nil {
		return nil, err
	}
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = f.Path
	}
	return paths, nil
}

// ShellQuote makes s one shell word for sh and ksh: in single quotes nothing is special,
// and a single quote itself closes the quotes, is escaped, and reopens them:
//
//	it's  →  'it'\''s'
func ShellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
