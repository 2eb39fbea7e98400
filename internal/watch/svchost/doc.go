// Package svchost runs the watch daemon under the system's process manager: as a Windows
// service when the service manager started it (Stop and Shutdown end it, Parameter
// change reloads it), else as a console or Unix process (SIGINT and SIGTERM end it,
// SIGHUP reloads it). It also installs and removes the Windows service.
package svchost

import (
	"context"
	"io"
)

// RunFunc runs the daemon until ctx ends; each receive on reload re-reads its resource
// file. It returns the process's exit status.
type RunFunc func(ctx context.Context, reload <-chan struct{}) int

// Install is what `iiskit watch install|uninstall` needs from the command line.
type Install struct {
	Getenv         func(string) string
	Stdout, Stderr io.Writer
	// CheckFile loads the resource file as the daemon will, so that a bad file is
	// refused before the service exists.
	CheckFile func(path string) error
}
