package ocf

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ParamType is a parameter's content type in the meta-data (ra-api-1.dtd).
type ParamType string

// The content types the agent's parameters use.
const (
	String  ParamType = "string"
	Integer ParamType = "integer"
	Boolean ParamType = "boolean"
)

// Param is one agent parameter: OCF_RESKEY_<Name> in the environment, the action flag
// --<Flag> it becomes, and what the meta-data says about it.
type Param struct {
	Name     string
	Flag     string
	Type     ParamType
	Default  string
	Unique   bool
	Required bool
	Short    string
	Long     string
}

// Params are the agent's parameters (CLI.md "Cluster managers"), in meta-data order. Each
// becomes the flag of the same meaning, so every rule about a value (a bad type, a bad
// duration, an FTP option on a W3 site) is the action's own, in one place.
var Params = []Param{
	{Name: "tag", Flag: "tag", Type: String, Unique: true,
		Short: "Resource tag",
		Long:  "The resource's tag: its name in events and the key of a resource in the config file. Default: the resource's instance name (OCF_RESOURCE_INSTANCE)."},
	{Name: "site", Flag: "site", Type: String,
		Short: "IIS site name",
		Long:  "The IIS site to protect (any text; never passed through a shell). Required with type unless config defines the tag."},
	{Name: "type", Flag: "type", Type: String,
		Short: "Service type",
		Long:  "The site's service type: W3, FTP or SMTP (aliases WEB, W3SVC, FTPSVC, MSFTPSVC, SMTPSVC). Required with site unless config defines the tag."},
	{Name: "config", Flag: "config", Type: String,
		Short: "Resource file",
		Long:  "A resource file (TOML) that defines the tag; site, type and the options may then come from it, and parameters given here override it."},
	{Name: "ftp_user", Flag: "ftp-user", Type: String,
		Short: "FTP user of the deep check",
		Long:  "The user the FTP deep check logs in as (FTP sites only)."},
	{Name: "ftp_password_file", Flag: "ftp-password-file", Type: String,
		Short: "File holding the FTP password",
		Long:  "A file holding the FTP user's password. The password is never a parameter: it would be visible in the cluster configuration."},
	{Name: "platform", Flag: "platform", Type: String,
		Short: "Platform: windows or lab",
		Long:  "windows talks to the service control manager and IIS; lab to an iiskit lab host (an emulator for tests). Default: windows on Windows, lab elsewhere."},
	{Name: "lab", Flag: "lab", Type: String, Default: "http://127.0.0.1:7780",
		Short: "Lab host control address",
		Long:  "The lab host's control address (platform lab only)."},
	{Name: "retry_interval", Flag: "retry-interval", Type: String, Default: "1s",
		Short: "Time between state reads",
		Long:  "Time between the reads of a service or site state while it settles, as a Go duration (500ms, 1s, 2m)."},
	{Name: "probe_timeout", Flag: "probe-timeout", Type: String, Default: "10s",
		Short: "Timeout of each probe stage",
		Long:  "Timeout of each stage (connect, request, answer) of the deep check's probes, as a Go duration."},
	{Name: "url", Flag: "url", Type: String,
		Short: "[ext] Path the HTTP deep check requests",
		Long:  "A path or URL the HTTP deep check requests, sent with the binding's host header."},
	{Name: "expect_status", Flag: "expect-status", Type: String,
		Short: "[ext] HTTP statuses that count as an answer",
		Long:  "HTTP statuses that count as an answer, e.g. 200-399; others fail the deep check (a stopped application pool answers 503)."},
	{Name: "probe_unassigned_via", Flag: "probe-unassigned-via", Type: String,
		Short: "[ext] Address for bindings without an IP",
		Long:  "Probe bindings without an IP address (All Unassigned) at this address instead of warning 9773."},
	{Name: "recover_starts_site", Flag: "recover-starts-site", Type: Boolean, Default: "false",
		Short: "[ext] recover starts the site once",
		Long:  "Local recovery starts the site once instead of only waiting for IIS to start it."},
	{Name: "tls_verify", Flag: "tls-verify", Type: Boolean, Default: "false",
		Short: "[ext] Certificate problems are failures",
		Long:  "Certificate problems of https, FTPS and STARTTLS fail the deep check."},
	{Name: "cert_warn_days", Flag: "cert-warn-days", Type: Integer, Default: "0",
		Short: "[ext] Warn of expiring certificates",
		Long:  "Warn (event 9801) when a site's certificate expires within this many days; 0 is off."},
	{Name: "deep_smtp", Flag: "deep-smtp", Type: Boolean, Default: "false",
		Short: "[ext] Deep check probes SMTP too",
		Long:  "The deep check probes SMTP virtual servers too (greeting, EHLO, QUIT)."},
	{Name: "ftp_tls", Flag: "ftp-tls", Type: String,
		Short: "[ext] Explicit FTPS: true, false or auto",
		Long:  "Explicit FTPS (AUTH TLS) for the FTP login: true, false or auto."},
	{Name: "probe_host_label", Flag: "probe-host-label", Type: String,
		Short: "[ext] Label for wildcard host headers",
		Long:  "The label the HTTP deep check puts in place of the * of a wildcard host header (*.example.com): health gives health.example.com. Default iiskit-probe."},
	{Name: "strict_site_state", Flag: "strict-site-state", Type: Boolean, Default: "false",
		Short: "[ext] Only Started passes the quick check",
		Long:  "The quick check fails on every site state but Started (Starting, Stopping and Unknown too)."},
}

// ParamOf returns the name of the parameter that becomes the action flag named flag
// (without dashes): the agent's messages call a setting by the name the cluster's
// administrator gave it.
func ParamOf(flag string) (string, bool) {
	for _, p := range Params {
		if p.Flag == flag {
			return p.Name, true
		}
	}
	return "", false
}

// EnvPrefix is the prefix of the parameters' environment variables.
const EnvPrefix = "OCF_RESKEY_"

// ErrNoTag reports that neither OCF_RESKEY_tag nor OCF_RESOURCE_INSTANCE names the
// resource.
var ErrNoTag = errors.New("no tag: set the tag parameter (OCF_RESKEY_tag) or run under a cluster manager that sets OCF_RESOURCE_INSTANCE")

// Flags turns the parameters in the environment into the action's flags: --tag first
// (defaulting to the instance name), then one --flag=value for every parameter set, in
// Params order. An empty parameter counts as unset, as Pacemaker passes no empty ones. A
// boolean accepts the spellings OCF agents accept (yes/no, true/false, on/off, 1/0).
func Flags(getenv func(string) string) ([]string, error) {
	var args []string
	for _, p := range Params {
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
		if p.Type == Boolean {
			b, err := parseBool(v)
			if err != nil {
				return nil, fmt.Errorf("parameter %s: %w", p.Name, err)
			}
			v = strconv.FormatBool(b)
		}
		args = append(args, "--"+p.Flag+"="+v)
	}
	return args, nil
}

// parseBool reads an OCF boolean.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "yes", "true", "on", "y":
		return true, nil
	case "0", "no", "false", "off", "n":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean (want yes/no, true/false, on/off or 1/0)", s)
}
