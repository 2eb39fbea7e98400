// Package wsfc generates the Windows Server Failover Clustering Generic Script (VBScript)
// that runs iiskit's actions for one resource: Online → restore, LooksAlive → quickcheck,
// IsAlive → deepcheck, Offline and Terminate → remove.
//
// The script never builds a shell string: it runs iiskit.exe directly with
// WScript.Shell's Run, and every argument is quoted here, in Go, for CommandLineToArgvW
// (QuoteArg), then written into the script as a VBScript string expression (Literal), so
// a site name with quotes, percent signs, ampersands, carets or backslashes reaches
// iiskit.exe as exactly one argument, unchanged (SPEC S1).
package wsfc
