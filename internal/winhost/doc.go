// Package winhost is iiskit's platform on a real Windows Server: the service control
// manager through golang.org/x/sys/windows; W3 and FTP sites through the IIS
// configuration API (AHADMIN, in process: the sites section, the RSCA state and
// Start/Stop methods), with appcmd.exe only as W3's fallback where that API cannot be
// created; SMTP virtual servers (and IIS 6 FTP) through the IIS 6 metabase's WMI
// provider. Everything but this comment builds only on Windows; the OS-neutral parsers
// live in package appcmd and in winhost/metabase, and the site description they share
// in package iisconfig.
package winhost
