//go:build windows

// Command stubsvc is a stand-in Windows service (W3SVC, FTPSVC ...) for running iiskit's
// Windows build under Wine: it reports Running until asked to stop. Wine's
// svc.IsWindowsService answers false, so -service NAME forces svc.Run. While it runs it
// keeps the marker file C:\iiskit\svc\NAME.running, from which the stand-ins of IIS's
// configuration API and WMI provider (scripts/wine/standin) tell whether the service
// that owns a site's run-time state is up. Test use only.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows/svc"
)

type handler struct{ marker string }

func (h handler) Execute(_ []string, req <-chan svc.ChangeRequest, status chan<- svc.Status) (bool, uint32) {
	const accepts = svc.AcceptStop | svc.AcceptShutdown
	status <- svc.Status{State: svc.StartPending}
	_ = os.MkdirAll(filepath.Dir(h.marker), 0o755)
	_ = os.WriteFile(h.marker, nil, 0o644)
	defer os.Remove(h.marker)
	status <- svc.Status{State: svc.Running, Accepts: accepts}
	for c := range req {
		switch c.Cmd {
		case svc.Interrogate:
			status <- c.CurrentStatus
		case svc.Stop, svc.Shutdown:
			status <- svc.Status{State: svc.StopPending}
			return false, 0
		}
	}
	return false, 0
}

func main() {
	name := flag.String("service", "", "run as the service NAME")
	flag.Parse()
	if *name == "" {
		fmt.Fprintln(os.Stderr, "usage: stubsvc -service NAME")
		os.Exit(2)
	}
	if err := svc.Run(*name, handler{marker: filepath.Join(`C:\iiskit\svc`, *name+".running")}); err != nil {
		fmt.Fprintln(os.Stderr, "stubsvc:", err)
		os.Exit(1)
	}
}
