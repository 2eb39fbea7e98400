package lab

import (
	"errors"
	"fmt"
)

// The kinds of refusal the control API maps to HTTP statuses (400, 404, 404, 404, 409).
var (
	errInvalid   = errors.New("invalid request")
	errNoService = errors.New("no such service")
	errNoSite    = errors.New("no such site")
	errNoPool    = errors.New("no such application pool")
	errConflict  = errors.New("refused in the current state")
)

// refusal is an error of one of the kinds above whose message is meant for the user as it
// is, without the kind's own words.
type refusal struct {
	kind error
	msg  string
}

func (r *refusal) Error() string { return r.msg }
func (r *refusal) Unwrap() error { return r.kind }

func invalidf(format string, a ...any) error {
	return &refusal{kind: errInvalid, msg: fmt.Sprintf(format, a...)}
}

func conflictf(format string, a ...any) error {
	return &refusal{kind: errConflict, msg: fmt.Sprintf(format, a...)}
}

func noSite(name string) error {
	return &refusal{kind: errNoSite, msg: fmt.Sprintf("site %q does not exist", name)}
}

func noService(name string) error {
	return &refusal{kind: errNoService, msg: fmt.Sprintf("service %q is not installed (the lab has W3SVC, FTPSVC and SMTPSVC)", name)}
}
