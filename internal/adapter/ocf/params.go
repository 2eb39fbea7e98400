package ocf

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/iiskit/iiskit/internal/invocation"
	"github.com/iiskit/iiskit/internal/resource"
)

// ParamType is a parameter's content type in the meta-data (ra-api-1.dtd).
type ParamType string

// The content types the agent's parameters use.
const (
	String  ParamType = "string"
	Integer ParamType = "integer"
	Boolean ParamType = "boolean"
)

// Param is one agent parameter: OCF_RESKEY_<Name> in the environment, the option or
// setting (Key) it gives, and what the meta-data says about it.
type Param struct {
	Name string
	// Key is the resource option's or common setting's key the parameter sets.
	Key      string
	Kind     resource.Kind
	Type     ParamType
	Default  string
	Unique   bool
	Required bool
	Short    string
	Long     string
}

// Params are the agent's parameters, in meta-data order: the resource options and the
// common settings that the OCF entry point accepts (resource.OptionTable,
// invocation.SettingTable), so their names, kinds and defaults are the command line's.
func Params() []Param {
	var ps []Param
	add := func(name, key string, k resource.Kind, def, short, long string) {
		if long == "" {
			long = short
		}
		p := Param{Name: name, Key: key, Kind: k, Type: contentType(k), Default: def, Unique: key == "tag", Short: short, Long: long}
		if k == resource.List {
			p.Long += " Separate the items with commas."
		}
		ps = append(ps, p)
	}
	for _, o := range resource.OptionTable {
		if o.Where&resource.InOCF != 0 {
			add(o.Param, o.Key, o.Kind, o.Default, shortOf(o.Doc), o.Long)
		}
	}
	for _, st := range invocation.SettingTable {
		if st.Param != "" {
			add(st.Param, st.Key, st.Kind, st.Default, shortOf(st.Doc), st.Long)
		}
	}
	return ps
}

// shortOf makes a one-line doc a shortdesc: capitalised, without "(required)" and the
// like.
func shortOf(doc string) string {
	if i := strings.Index(doc, " ("); i > 0 && !strings.HasPrefix(doc, "[ext]") {
		doc = doc[:i]
	}
	if doc != "" && doc[0] >= 'a' && doc[0] <= 'z' {
		doc = strings.ToUpper(doc[:1]) + doc[1:]
	}
	return doc
}

func contentType(k resource.Kind) ParamType {
	switch k {
	case resource.Bool:
		return Boolean
	case resource.Int:
		return Integer
	}
	return String
}

// metaTimeoutParam is the parameter the action's timeout comes from: Pacemaker's
// operation timeout.
const metaTimeoutParam = "CRM_meta_timeout"

// ParamName calls an option or setting, given by its key, by its parameter's name: the
// agent's messages call a setting by the name the cluster's administrator gave it.
func ParamName(key string) string {
	if key == "timeout" {
		return metaTimeoutParam
	}
	for _, p := range Params() {
		if p.Key == key {
			return p.Name
		}
	}
	return invocation.FlagNames(key)
}

// EnvPrefix is the prefix of the parameters' environment variables.
const EnvPrefix = "OCF_RESKEY_"

// ErrNoTag reports that neither OCF_RESKEY_tag nor OCF_RESOURCE_INSTANCE names the
// resource.
var ErrNoTag = errors.New("no tag: set the tag parameter (OCF_RESKEY_tag) or run under a cluster manager that sets OCF_RESOURCE_INSTANCE")

// Request turns the parameters in the environment into what the agent was given: the
// tag (defaulting to the instance name), then every parameter set. An empty parameter
// counts as unset, as Pacemaker passes no empty ones; a list parameter's items are
// separated by commas. Values are checked by the one resolution (invocation.Resolve),
// so a boolean accepts the spellings OCF agents accept (yes/no, true/false, on/off, 1/0).
func Request(getenv func(string) string) (*invocation.Request, error) {
	req := invocation.NewRequest()
	for _, p := range Params() {
		v := getenv(EnvPrefix + p.Name)
		if p.Name == "tag" && strings.TrimSpace(v) == "" {
			v = getenv("OCF_RESOURCE_INSTANCE")
			if strings.TrimSpace(v) == "" {
				return nil, ErrNoTag
			}
		}
		if v == "" {
			continue
		}
		if p.Kind == resource.List {
			req.Set(p.Key, resource.SplitList(v)...)
			continue
		}
		req.Set(p.Key, v)
	}
	return req, nil
}

// pacemakerParam is the parameter Pacemaker adds to every operation besides CRM_meta_*:
// its CIB feature set (crm_resource --validate passes it too).
const pacemakerParam = "crm_feature_set"

// UnknownParams lists the OCF_RESKEY_ variables of environ that name no parameter of
// the agent (a typo such as OCF_RESKEY_sitee), sorted; the CRM_meta_* ones and
// crm_feature_set, which Pacemaker sets, are not the agent's to judge.
func UnknownParams(environ []string) []string {
	known := map[string]bool{}
	for _, p := range Params() {
		known[p.Name] = true
	}
	var unknown []string
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		name, ok := strings.CutPrefix(k, EnvPrefix)
		if !ok || known[name] || strings.HasPrefix(name, "CRM_meta_") || name == pacemakerParam {
			continue
		}
		unknown = append(unknown, name)
	}
	sort.Strings(unknown)
	return unknown
}

// unknownParamsError is the reason validate-all gives for unknown parameters.
func unknownParamsError(names []string) error {
	return fmt.Errorf("unknown parameter %s (the agent's parameters are listed by meta-data)", EnvPrefix+strings.Join(names, ", "+EnvPrefix))
}
