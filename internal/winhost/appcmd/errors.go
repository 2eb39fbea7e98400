package appcmd

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/iiskit/iiskit/internal/platform"
)

// The kinds of appcmd failure iiskit tells apart. Test with errors.Is on an *Error.
var (
	// ErrNotFound: "Cannot find SITE object with identifier ...", exit 1168
	// (ERROR_NOT_FOUND). It also matches platform.ErrNoSite.
	ErrNotFound = errors.New("appcmd: object not found")
	// ErrAccessDenied: HRESULT 0x80070005. appcmd needs an elevated token; it also
	// matches platform.ErrPrerequisite.
	ErrAccessDenied = errors.New("appcmd: access denied (not elevated?)")
	// ErrInvalidObject: HRESULT 0x800710D8, what WAS answers for a site it does not run,
	// such as an FTP-only site.
	ErrInvalidObject = errors.New("appcmd: the object identifier does not represent a valid object")
	// ErrInUse: HRESULT 0x80070020, another process holds the binding's port.
	ErrInUse = errors.New("appcmd: binding in use by another process")
	// ErrAlreadyExists: HRESULT 0x800700B7 or exit 183.
	ErrAlreadyExists = errors.New("appcmd: already exists")
	// ErrAlreadyInState: the site is already started (start) or stopped (stop):
	// ERROR_SERVICE_ALREADY_RUNNING 0x80070420 / ERROR_SERVICE_NOT_ACTIVE 0x80070426.
	ErrAlreadyInState = errors.New("appcmd: already in the requested state")
)

// Error is one failed appcmd request.
type Error struct {
	// Args is the request, for the message; the site name in it is one element.
	Args []string
	// ExitCode is the process's exit status.
	ExitCode int
	// HResult is the hresult: field of the ERROR line, 0 when there was none.
	HResult uint32
	// Message is the ERROR line's message text, or the output when there was no ERROR line.
	Message string
}

// Error returns a one-line description.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("appcmd")
	if len(e.Args) > 0 {
		b.WriteString(" " + strings.Join(quoteAll(e.Args), " "))
	}
	b.WriteString(" failed")
	if e.HResult != 0 {
		fmt.Fprintf(&b, " (hresult 0x%08X)", e.HResult)
	}
	if e.ExitCode != 0 {
		fmt.Fprintf(&b, " (exit %d)", e.ExitCode)
	}
	if e.Message != "" {
		b.WriteString(": " + oneLine(e.Message))
	}
	return b.String()
}

// Is matches the sentinels above and, where they mean the same, platform's.
func (e *Error) Is(target error) bool {
	kind := e.kind()
	if kind == nil {
		return false
	}
	switch target {
	case kind:
		return true
	case platform.ErrNoSite:
		return kind == ErrNotFound
	case platform.ErrPrerequisite:
		return kind == ErrAccessDenied
	}
	return false
}

// kind classifies by the text first and the numbers second: the exit code is only
// appcmd's low 16 bits of the HRESULT, so the message and hresult are the better witnesses.
func (e *Error) kind() error {
	msg := strings.ToLower(e.Message)
	switch {
	case strings.Contains(msg, "cannot find") && strings.Contains(msg, "object with identifier"):
		return ErrNotFound
	case e.HResult == 0x80070490:
		return ErrNotFound
	case e.HResult == 0x80070005 || strings.Contains(msg, "access is denied"):
		return ErrAccessDenied
	case e.HResult == 0x800710D8:
		return ErrInvalidObject
	case e.HResult == 0x80070020:
		return ErrInUse
	case e.HResult == 0x800700B7:
		return ErrAlreadyExists
	case e.HResult == 0x80070420 || e.HResult == 0x80070426:
		return ErrAlreadyInState
	}
	switch e.ExitCode {
	case 1168:
		return ErrNotFound
	case 5:
		return ErrAccessDenied
	case 4312:
		return ErrInvalidObject
	case 183:
		return ErrAlreadyExists
	}
	return nil
}

// errorReport matches appcmd's failure report, which may span lines, as the whole output:
// ERROR ( [hresult:XXXXXXXX, ]message:TEXT )
// It is compiled on first use: only a failing appcmd needs it.
var errorReport = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?s)^ERROR \(\s*(?:hresult:([0-9A-Fa-f]{1,8}),\s*)?message:(.*?)\s*\)\s*$`)
})

// findError returns the *Error for an output that is an ERROR report, else nil.
//
// appcmd prints its failure report instead of any output, so an output is a report only
// when it starts with "ERROR (" (after leading blanks). "ERROR (" anywhere else is data:
// a site may be named "ERROR (x)", and appears in a listing as SITE "ERROR (x)" (...),
// as <SITE SITE.NAME="ERROR (x)" ...> or in a success line as "ERROR (x)" successfully
// started. Searching the whole output would make one such site break every listing.
func findError(text string) *Error {
	text = strings.TrimLeft(text, " \t\r\n")
	if !strings.HasPrefix(text, "ERROR (") {
		return nil
	}
	e := &Error{Message: strings.TrimSpace(text)}
	if m := errorReport().FindStringSubmatch(text); m != nil {
		e.Message = strings.TrimSpace(m[2])
		if m[1] != "" {
			h, _ := strconv.ParseUint(m[1], 16, 32)
			e.HResult = uint32(h)
		}
	}
	return e
}

// CheckOutput maps one finished request to an error: an ERROR report (even with exit 0)
// or a non-zero exit status is an *Error; nil otherwise.
func CheckOutput(args []string, out Output) error {
	text, err := decodeText(out.Stdout)
	if err != nil {
		text = string(out.Stdout)
	}
	if e := findError(text); e != nil {
		e.Args, e.ExitCode = args, out.ExitCode
		return e
	}
	if out.ExitCode != 0 {
		return &Error{Args: args, ExitCode: out.ExitCode, Message: strings.TrimSpace(text)}
	}
	return nil
}

func quoteAll(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, " \t\"") || a == "" {
			out[i] = strconv.Quote(a)
		} else {
			out[i] = a
		}
	}
	return out
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
