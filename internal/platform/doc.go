// Package platform is iiskit's view of the host: the Windows service control manager and
// IIS. It defines the small interfaces the actions use and the value types that carry
// Windows' own numbers; implementations live outside it, in internal/winhost (service manager,
// appcmd) and internal/labhost (a client of the lab host). A platform observes or acts once;
// it never retries, waits for a state or emits events: that is the actions' policy.
package platform
