//go:build !unix && !windows

package watch

// processCPUSeconds reports that this system's CPU time is not read.
func processCPUSeconds() (float64, bool) { return 0, false }
