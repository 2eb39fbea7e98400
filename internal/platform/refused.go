package platform

import "errors"

// ErrStartRefused reports a start or continue request that the service manager refused
// outright (the service is disabled, not installed, or the caller may not start it): no
// amount of waiting brings such a service to Running, so the actions fail at once.
var ErrStartRefused = errors.New("the service manager refused to start the service")
