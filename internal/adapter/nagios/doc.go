// Package nagios is iiskit as a Nagios, Icinga or NSClient++ plugin (`iiskit nagios`,
// CLI.md "Nagios plugin"). It is a thin layer over the checks: it turns what a quick or
// deep check found into one of the plugin states (OK, WARNING, CRITICAL, UNKNOWN, exit
// 0..3) and writes the plugin's output as the Monitoring Plugins development guidelines
// ask: one status line with performance data in the C locale, then the events as long
// output. It decides nothing the SPEC decides; package cli runs the check.
package nagios
