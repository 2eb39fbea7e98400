//go:build windows

package svchost

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc"
	"golang.org/x/sys/windows/svc/mgr"

	"github.com/iiskit/iiskit/internal/watch"
)

// watchServiceName is the Windows service that runs `iiskit watch`.
const watchServiceName = "iiskit-watch"

// Run runs the daemon as a Windows service when the service manager started the
// process, in the console otherwise (Ctrl-C stops it; there is no SIGHUP on Windows).
func Run(ctx context.Context, stderr io.Writer, run RunFunc) int {
	isService, err := svc.IsWindowsService()
	if err != nil {
		fmt.Fprintf(stderr, "iiskit watch: cannot tell whether this is a service: %v\n", err)
		return 1
	}
	if !isService {
		ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
		defer stop()
		return run(ctx, nil)
	}
	h := &watchService{ctx: ctx, run: run}
	if err := svc.Run(watchServiceName, h); err != nil {
		return 1
	}
	return h.code
}

// watchService is the svc.Handler of the watch daemon: Stop and Shutdown end it,
// ParamChange reloads the resource file, Interrogate answers the current status.
type watchService struct {
	ctx  context.Context
	run  RunFunc
	code int
}

// Execute runs the daemon until the service manager stops it; a daemon that ends with a
// non-zero status reports it as a service-specific exit code, so the recovery actions
// restart it.
func (h *watchService) Execute(_ []string, req <-chan svc.ChangeRequest, status chan<- svc.Status) (bool, uint32) {
	const accepts = svc.AcceptStop | svc.AcceptShutdown | svc.AcceptParamChange
	status <- svc.Status{State: svc.StartPending}
	ctx, cancel := context.WithCancel(h.ctx)
	defer cancel()
	reload := make(chan struct{}, 1)
	done := make(chan int, 1)
	go func() { done <- h.run(ctx, reload) }()
	status <- svc.Status{State: svc.Running, Accepts: accepts}
	for {
		select {
		case code := <-done:
			h.code = code
			status <- svc.Status{State: svc.StopPending}
			return code != 0, uint32(code)
		case c := <-req:
			switch c.Cmd {
			case svc.Interrogate:
				status <- c.CurrentStatus
			case svc.Stop, svc.Shutdown:
				// In-flight checks finish within their deadlines (30 s, 120 s for a
				// recovery); the wait hint tells the service manager so.
				status <- svc.Status{State: svc.StopPending, WaitHint: uint32((2 * time.Minute).Milliseconds())}
				cancel()
			case svc.ParamChange:
				select {
				case reload <- struct{}{}:
				default:
				}
				status <- c.CurrentStatus
			}
		}
	}
}

// Command is `iiskit watch install|uninstall --config FILE`: it registers the service
// (automatic start, restarted on failure) to run this executable with `watch --config
// FILE` and the common flags given, or removes it. The file is checked first.
func Command(verb string, args []string, in Install) int {
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(in.Stderr, "iiskit watch %s: "+format+"\n", append([]any{verb}, a...)...)
		return code
	}
	o, code, ok := parse(verb, args, in)
	if !ok {
		return code
	}
	configFile, listen := &o.config, &o.listen
	if !windows.GetCurrentProcessToken().IsElevated() {
		return fail(2, "not running elevated: run it as an administrator (nothing was changed)")
	}
	m, err := mgr.Connect()
	if err != nil {
		return fail(1, "connect to the service manager: %v", err)
	}
	defer m.Disconnect()
	if verb == "uninstall" {
		sv, err := m.OpenService(watchServiceName)
		if err != nil {
			return fail(1, "open service %s: %v", watchServiceName, err)
		}
		defer sv.Close()
		if err := sv.Delete(); err != nil {
			return fail(1, "delete service %s: %v", watchServiceName, err)
		}
		fmt.Fprintf(in.Stdout, "service %s removed\n", watchServiceName)
		return 0
	}
	if *configFile == "" {
		return fail(2, "--config FILE is required")
	}
	abs, err := filepath.Abs(*configFile)
	if err != nil {
		return fail(2, "%v", err)
	}
	if err := in.CheckFile(abs); err != nil {
		return fail(2, "%v", err)
	}
	if err := watch.CheckListen(*listen, false); err != nil {
		return fail(2, "%v", err)
	}
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.Abs(exe)
	}
	if err != nil {
		return fail(1, "find iiskit.exe: %v", err)
	}
	sv, err := m.CreateService(watchServiceName, exe, mgr.Config{
		DisplayName: "iiskit watch",
		Description: "Checks and locally recovers the IIS sites of " + abs + " (iiskit).",
		StartType:   mgr.StartAutomatic,
	}, "watch", "--config", abs, "--listen", *listen)
	if err != nil {
		return fail(1, "create service %s: %v", watchServiceName, err)
	}
	defer sv.Close()
	// Restart after 5 s, 30 s, then every minute; the failure count resets after a day.
	actions := []mgr.RecoveryAction{
		{Type: mgr.ServiceRestart, Delay: 5 * time.Second},
		{Type: mgr.ServiceRestart, Delay: 30 * time.Second},
		{Type: mgr.ServiceRestart, Delay: time.Minute},
	}
	if err := sv.SetRecoveryActions(actions, uint32((24 * time.Hour).Seconds())); err != nil {
		return fail(1, "set the recovery actions of %s: %v", watchServiceName, err)
	}
	fmt.Fprintf(in.Stdout, "service %s installed (automatic start, restarted on failure): %s watch --config %s\n", watchServiceName, exe, abs)
	return 0
}
