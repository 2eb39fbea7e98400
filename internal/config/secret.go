package config

import (
	"fmt"
	"os"
	"strings"

	"github.com/iiskit/iiskit/internal/resource"
)

// FTPPassword reads the FTP password from file, else from $IISKIT_FTP_PASSWORD; never
// from a flag value (SPEC S3). Every entry point (flags, the resource file, OCF
// parameters, the watch daemon) reads the secret through it.
func FTPPassword(file string, getenv func(string) string) (resource.Secret, error) {
	if file == "" {
		return resource.Secret(getenv("IISKIT_FTP_PASSWORD")), nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("cannot read the FTP password file: %w", err)
	}
	return resource.Secret(strings.TrimRight(string(b), "\r\n")), nil
}
