// Package winhost is iiskit's platform on a real Windows Server: the service control
// manager through golang.org/x/sys/windows, W3 sites through appcmd.exe, FTP sites'
// own state through the IIS configuration COM API (AHADMIN), and SMTP virtual servers
// (and IIS 6 FTP) through the IIS 6 metabase's WMI provider. Everything but this comment
// builds only on Windows; the OS-neutral parsers live in package appcmd and in
// winhost/metabase, and the site description they share in package iisconfig.
package winhost
