//go:build windows

package doctor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/windows"

	"github.com/iiskit/iiskit/internal/event/eventlog"
	"github.com/iiskit/iiskit/internal/winhost"
)

// openWindows builds the Windows platform. A missing prerequisite is not bad input: the
// report names it (exit 1).
func openWindows(ctx context.Context) (opened, error) {
	h, err := winhost.New(ctx, winhost.Options{})
	if err != nil {
		return opened{}, err
	}
	return opened{host: h, inspector: winInspector{h}, exerciser: winExerciser{h}}, nil
}

type winInspector struct{ h *winhost.Host }

func (w winInspector) Facts() [][2]string {
	out := [][2]string{{"platform", "windows"}}
	for _, f := range w.h.Facts() {
		out = append(out, [2]string{f.Name, f.Value})
	}
	return out
}

func (w winInspector) Readings() []Reading {
	var out []Reading
	for _, r := range w.h.Readings() {
		out = append(out, Reading{Name: r.Name, Types: r.Types, List: r.List})
	}
	return out
}

// Checks: elevation, and the event source with its message file.
func (w winInspector) Checks(context.Context) []Check {
	elevated := Check{Name: "elevation", OK: windows.GetCurrentProcessToken().IsElevated(), Detail: "the process is elevated"}
	if !elevated.OK {
		elevated.Detail = "not elevated: the actions refuse to run so; run iiskit as an administrator or LocalSystem"
	}
	src := Check{Name: "event source " + eventlog.Source}
	start := time.Now()
	file, err := eventlog.Registered()
	src.MS = float64(time.Since(start).Microseconds()) / 1000
	exe, _ := os.Executable()
	switch {
	case errors.Is(err, windows.ERROR_FILE_NOT_FOUND):
		src.Detail = "not registered: events would show \"description cannot be found\"; run iiskit eventlog install (elevated)"
	case err != nil:
		src.Detail = fmt.Sprintf("%v: run iiskit eventlog install (elevated)", err)
	case !fileExists(file):
		src.Detail = fmt.Sprintf("message file %s does not exist (the exe moved?): run iiskit eventlog install from the installed exe", file)
	default:
		src.OK = true
		src.Detail = "message file " + file
		if exe != "" && !strings.EqualFold(filepath.Clean(file), filepath.Clean(exe)) {
			src.Detail += " (not this exe, " + exe + ": fine if that one is the installed copy)"
		}
	}
	return []Check{elevated, src}
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

type winExerciser struct{ h *winhost.Host }

func (w winExerciser) CreateSelftest(ctx context.Context, site, pool, binding, folder string) error {
	return w.h.CreateSelftest(ctx, winhost.Selftest{Site: site, Pool: pool, Binding: binding, Folder: folder})
}

func (w winExerciser) StopPool(ctx context.Context, pool string) error {
	return w.h.StopPool(ctx, pool)
}

func (w winExerciser) DeleteSelftest(ctx context.Context) ([]string, error) {
	return w.h.DeleteSelftest(ctx)
}
