package resource

import (
	"fmt"
	"strings"
)

// TLSMode says whether a line protocol (FTP, SMTP) upgrades its connection to TLS: the
// resource file's ftp_tls and the probes' mode.
type TLSMode int

// The TLS modes. The zero value is plain text, as the original kit speaks.
const (
	// TLSOff never upgrades.
	TLSOff TLSMode = iota
	// TLSOn requires the upgrade (FTP AUTH TLS, SMTP STARTTLS); a server that refuses it
	// fails the probe.
	TLSOn
	// TLSAuto upgrades when the server agrees and goes on in plain text when it refuses.
	// A handshake that fails after the server agreed fails the probe: falling back then
	// would let anyone in the path turn TLS off by breaking the handshake.
	TLSAuto
)

var tlsModeNames = [...]string{"off", "on", "auto"}

// String returns "off", "on" or "auto".
func (m TLSMode) String() string {
	if m >= TLSOff && m <= TLSAuto {
		return tlsModeNames[m]
	}
	return fmt.Sprintf("TLSMode(%d)", int(m))
}

// ParseTLSMode reads false/off/no, true/on/yes or auto (case-insensitive; "" is off).
func ParseTLSMode(s string) (TLSMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "false", "off", "no", "":
		return TLSOff, nil
	case "true", "on", "yes":
		return TLSOn, nil
	case "auto":
		return TLSAuto, nil
	}
	return TLSOff, fmt.Errorf("%q: want true, false or auto", s)
}
