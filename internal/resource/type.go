package resource

import (
	"fmt"
	"strings"
)

// Type is the IIS service a protected site belongs to (SPEC §1).
type Type int

// The three service types of the original kit.
const (
	W3 Type = iota + 1
	FTP
	SMTP
)

// Types lists every service type in catalogue order.
var Types = []Type{W3, FTP, SMTP}

// aliases maps every spelling the original kit accepts (case-insensitive) to its type.
var aliases = map[string]Type{
	"W3": W3, "WEB": W3, "W3SVC": W3,
	"FTP": FTP, "MSFTPSVC": FTP, "FTPSVC": FTP,
	"SMTP": SMTP, "SMTPSVC": SMTP,
}

// ParseType accepts any alias of SPEC §1 in any letter case.
func ParseType(s string) (Type, error) {
	if t, ok := aliases[strings.ToUpper(strings.TrimSpace(s))]; ok {
		return t, nil
	}
	return 0, fmt.Errorf("unknown service type %q (want W3, WEB, W3SVC, FTP, FTPSVC, MSFTPSVC, SMTP or SMTPSVC)", s)
}

// String returns the canonical name: "W3", "FTP" or "SMTP".
func (t Type) String() string {
	switch t {
	case W3:
		return "W3"
	case FTP:
		return "FTP"
	case SMTP:
		return "SMTP"
	}
	return fmt.Sprintf("Type(%d)", int(t))
}

// Valid reports whether t is one of the three service types.
func (t Type) Valid() bool { return t >= W3 && t <= SMTP }

// ServiceNames returns the Windows service names that can carry this type, newest first:
// FTP is FTPSVC from IIS 7.5 on and MSFTPSVC on IIS 6. Which one exists is the platform's
// business.
func (t Type) ServiceNames() []string {
	switch t {
	case W3:
		return []string{"W3SVC"}
	case FTP:
		return []string{"FTPSVC", "MSFTPSVC"}
	case SMTP:
		return []string{"SMTPSVC"}
	}
	return nil
}

// ServiceName returns the Windows service name on current IIS versions (IIS 7.5 and later).
func (t Type) ServiceName() string {
	if n := t.ServiceNames(); len(n) > 0 {
		return n[0]
	}
	return ""
}

// Protocols returns the binding protocols that belong to this type's service, the first
// being the one the deep check probes (SPEC D4.2): http for W3, ftp for FTP.
func (t Type) Protocols() []string {
	switch t {
	case W3:
		return []string{"http", "https"}
	case FTP:
		return []string{"ftp"}
	case SMTP:
		return []string{"smtp"}
	}
	return nil
}

// TypeOfProtocol returns the service type whose sites carry bindings of protocol p
// (case-insensitive); ok is false for protocols no IIS service of iiskit's handles, such as
// net.tcp.
func TypeOfProtocol(p string) (t Type, ok bool) {
	switch strings.ToLower(p) {
	case "http", "https":
		return W3, true
	case "ftp":
		return FTP, true
	case "smtp":
		return SMTP, true
	}
	return 0, false
}
