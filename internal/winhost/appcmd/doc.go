// Package appcmd drives IIS's appcmd.exe: it builds argument vectors, runs one process per
// request through a Runner, and parses appcmd's XML listings (into iisconfig
// sites) and its ERROR lines (into typed errors). It is OS-neutral so its parsers and its argv discipline are tested
// everywhere; winhost supplies the real path and runner.
//
// A site name only ever travels as one argv element of appcmd.exe itself (SPEC S1): no
// shell, cmd.exe or PowerShell string is ever built.
package appcmd
