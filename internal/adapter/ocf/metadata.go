package ocf

import (
	"encoding/xml"
	"fmt"
	"strings"
)

// ActionSpec is one action in the meta-data: its default timeout and, for the recurring
// monitors, interval and depth (the OCF_CHECK_LEVEL it runs at).
type ActionSpec struct {
	Name     string
	Timeout  string
	Interval string
	Depth    string
}

// Actions are the meta-data's actions with their advised timeouts. The two monitors
// have different intervals, as Pacemaker requires of recurring operations of one
// resource. The timeouts leave room for the actions' own waits: a restore or remove
// reads the state up to 10 times at the retry interval.
var Actions = []ActionSpec{
	{Name: "start", Timeout: "60s"},
	{Name: "stop", Timeout: "60s"},
	{Name: "monitor", Timeout: "20s", Interval: "10s", Depth: "0"},
	{Name: "monitor", Timeout: "40s", Interval: "30s", Depth: "10"},
	{Name: "validate-all", Timeout: "20s"},
	{Name: "meta-data", Timeout: "5s"},
}

const (
	agentShort = "IIS site (iiskit)"
	agentLong  = `Protects one IIS site (W3, FTP or SMTP) with iiskit, a reimplementation of the
LifeKeeper IIS Recovery Kit. start brings the site into service (restore), stop takes it out
of service (remove), monitor checks it: at depth 0 that the IIS service runs and the site is
Started (quickcheck), at depth 10 also that every binding answers (deepcheck). Failures
write the kit's numbered event (Windows event log, or stderr) and one ocf-exit-reason line.`
)

type xmlAgent struct {
	XMLName    xml.Name    `xml:"resource-agent"`
	Name       string      `xml:"name,attr"`
	Version    string      `xml:"version,attr"`
	APIVersion string      `xml:"version"`
	Long       xmlDesc     `xml:"longdesc"`
	Short      xmlDesc     `xml:"shortdesc"`
	Params     []xmlParam  `xml:"parameters>parameter"`
	Actions    []xmlAction `xml:"actions>action"`
}

type xmlDesc struct {
	Lang string `xml:"lang,attr"`
	Text string `xml:",chardata"`
}

type xmlParam struct {
	Name     string     `xml:"name,attr"`
	Unique   int        `xml:"unique,attr"`
	Required int        `xml:"required,attr"`
	Long     xmlDesc    `xml:"longdesc"`
	Short    xmlDesc    `xml:"shortdesc"`
	Content  xmlContent `xml:"content"`
}

type xmlContent struct {
	Type    string `xml:"type,attr"`
	Default string `xml:"default,attr,omitempty"`
}

type xmlAction struct {
	Name     string `xml:"name,attr"`
	Timeout  string `xml:"timeout,attr"`
	Interval string `xml:"interval,attr,omitempty"`
	Depth    string `xml:"depth,attr,omitempty"`
}

// MetaDataXML renders the agent's meta-data in OCF 1.0 form (valid against
// ra-api-1.dtd); version is iiskit's own version, the agent's version attribute.
func MetaDataXML(version string) ([]byte, error) {
	a := xmlAgent{
		Name: "iis", Version: version, APIVersion: "1.0",
		Long:  xmlDesc{"en", strings.Join(strings.Fields(agentLong), " ")},
		Short: xmlDesc{"en", agentShort},
	}
	for _, p := range Params() {
		a.Params = append(a.Params, xmlParam{
			Name: p.Name, Unique: bit(p.Unique), Required: bit(p.Required),
			Long: xmlDesc{"en", p.Long}, Short: xmlDesc{"en", p.Short},
			Content: xmlContent{Type: string(p.Type), Default: p.Default},
		})
	}
	for _, s := range Actions {
		a.Actions = append(a.Actions, xmlAction(s))
	}
	body, err := xml.MarshalIndent(a, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("rendering the OCF meta-data: %w", err)
	}
	// No encoding in the declaration, as the resource-agents write it: crmsh parses the
	// meta-data as a decoded string, and lxml refuses a string that declares an encoding.
	out := []byte(`<?xml version="1.0"?>` + "\n" + `<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">` + "\n")
	return append(append(out, body...), '\n'), nil
}

func bit(b bool) int {
	if b {
		return 1
	}
	return 0
}
