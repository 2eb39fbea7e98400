// Package lab is the lab host: an emulated Windows host with IIS that runs on this machine
// for tests and demonstrations (CLI.md, "The lab host"). It holds the three IIS services
// with Windows' service state machine and IIS sites with bindings; a started site really
// listens on its bindings on loopback and answers HTTP, FTP or SMTP as the real service
// would. A control API (HTTP and JSON, package labapi) lets tests and the `iiskit lab`
// verbs observe the host and break it on purpose; it serves programs on this machine, never
// a web page (guard.go).
//
// The lab never listens outside 127.0.0.0/8 and ::1.
package lab
