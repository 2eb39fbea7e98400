//go:build windows

// Command stubsvc is a stand-in Windows service (W3SVC, FTPSVC ...) for running iiskit's
// Windows build under Wine: it reports Running until asked to stop. Wine's
// svc.IsWindowsService answers false, so -service NAME forces svc.Run. Test use only.
package main

import (
	"flag"
	"fmt"
	"os"

	"golang.org/x/sys/windows/svc"
)

type handler struct{}

func (handler) Execute(_ []string, req <-chan svc.ChangeRequest, status chan<- svc.Status) (bool, uint32) {
	const accepts = svc.AcceptStop | svc.AcceptShutdown
	status <- svc.Status{State: svc.StartPending}
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
	if err := svc.Run(*name, handler{}); err != nil {
		fmt.Fprintln(os.Stderr, "stubsvc:", err)
		os.Exit(1)
	}
}
