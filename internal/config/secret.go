package config

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/iiskit/iiskit/internal/resource"
	"github.com/iiskit/iiskit/internal/safefile"
)

// maxPasswordFile caps the FTP password file: a password is a line, never kilobytes.
const maxPasswordFile = 64 << 10

// errPasswordLine is a password that could not be sent on one FTP command line.
var errPasswordLine = errors.New("the FTP password contains a line break or a NUL inside it; it must be one line")

// FTPPassword reads the FTP password from file, else from $IISKIT_FTP_PASSWORD; never
// from a flag value (SPEC S3). Every entry point (flags, the resource file, OCF
// parameters, the watch daemon) reads the secret through it.
//
// The file must be a regular file; a UTF-8 byte-order mark (as Notepad writes) and the
// line ends after the password are dropped. A password with a line break or NUL inside is
// an error here, a definition error (exit 2), rather than a login the probe refuses.
// The error never quotes the password.
func FTPPassword(file string, getenv func(string) string) (resource.Secret, error) {
	var pw string
	if file == "" {
		pw = getenv("IISKIT_FTP_PASSWORD")
	} else {
		b, err := safefile.ReadFile(file, maxPasswordFile)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) && !errors.Is(err, safefile.ErrNotRegular) {
				err = pe.Err // the path is said once, by FileError
			}
			return "", &FileError{Path: file, What: "the FTP password file", Err: err}
		}
		pw = strings.TrimPrefix(string(b), "\ufeff")
	}
	pw = strings.TrimRight(pw, "\r\n")
	if strings.ContainsAny(pw, "\r\n\x00") {
		where := "$IISKIT_FTP_PASSWORD"
		if file != "" {
			where = file
		}
		return "", fmt.Errorf("%s: %w", where, errPasswordLine)
	}
	return resource.Secret(pw), nil
}
