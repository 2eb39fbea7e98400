package labcli

import (
	"fmt"
	"strings"

	"github.com/iiskit/iiskit/internal/usage"
)

// args are one verb's command line: flags may come before or after the positional words,
// as `--flag value` or `--flag=value`; "--" ends the flags.
type args struct {
	pos   []string
	vals  map[string][]string
	bools map[string]bool
}

// parseArgs reads argv against the flags the verb knows (its help's): one with an Arg
// takes a value, one without does not.
func parseArgs(argv []string, flags []usage.Flag) (args, error) {
	a := args{vals: map[string][]string{}, bools: map[string]bool{}}
	var valued, boolean []string
	for _, f := range flags {
		if f.Arg != "" {
			valued = append(valued, f.Name)
		} else {
			boolean = append(boolean, f.Name)
		}
	}
	isIn := func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	}
	for i := 0; i < len(argv); i++ {
		arg := argv[i]
		if arg == "--" {
			a.pos = append(a.pos, argv[i+1:]...)
			break
		}
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			a.pos = append(a.pos, arg)
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		switch {
		case isIn(valued, name):
			if !hasVal {
				if i+1 >= len(argv) {
					return a, fmt.Errorf("flag --%s needs a value", name)
				}
				i++
				val = argv[i]
			}
			a.vals[name] = append(a.vals[name], val)
		case isIn(boolean, name):
			if hasVal {
				return a, fmt.Errorf("flag --%s takes no value", name)
			}
			a.bools[name] = true
		default:
			return a, fmt.Errorf("unknown flag %s", arg)
		}
	}
	return a, nil
}

// last returns the last value of a flag, or def.
func (a args) last(name, def string) string {
	if v := a.vals[name]; len(v) > 0 {
		return v[len(v)-1]
	}
	return def
}
