package appcmd

// The argument vectors of the three requests iiskit makes. Each returns a fresh slice;
// a site name is always exactly one element, never joined with anything a parser of
// command lines would split or expand.

// ListSitesArgs lists every site with its id, bindings and state in one process. /config
// adds each site's configuration element, whose <binding> children carry the bindings
// one by one, so they need not be cut out of the comma-joined "bindings" attribute.
func ListSitesArgs() []string {
	return []string{"list", "site", "/config", "/xml"}
}

// StartSiteArgs asks W3SVC/WAS to start the site named name.
func StartSiteArgs(name string) []string {
	return []string{"start", "site", siteNameParam(name)}
}

// StopSiteArgs asks W3SVC/WAS to stop the site named name.
func StopSiteArgs(name string) []string {
	return []string{"stop", "site", siteNameParam(name)}
}

// siteNameParam names the site with appcmd's /site.name: identifier parameter rather
// than the positional identifier, because a positional name that starts with "/" or is
// "-" would be taken by appcmd as a switch or as "read from standard input". The result
// is still one argv element: Go's Windows command-line quoting (syscall.EscapeArg)
// quotes it as a whole, and appcmd splits /name:value at the first colon only.
func siteNameParam(name string) string {
	return "/site.name:" + name
}
