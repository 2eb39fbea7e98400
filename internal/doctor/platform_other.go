//go:build !windows

package doctor

import (
	"context"
	"fmt"

	"github.com/iiskit/iiskit/internal/platform"
)

// openWindows reports that the Windows platform exists only on Windows.
func openWindows(context.Context) (opened, error) {
	return opened{}, fmt.Errorf("the windows platform runs only on Windows: %w", platform.ErrPrerequisite)
}
