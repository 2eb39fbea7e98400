// Package resource is iiskit's model of one protected IIS site: its tag, site name,
// service type, FTP credentials and bindings. It holds pure values and parsers, no I/O.
package resource
