package watch

import (
	"fmt"
	"net"
	"net/netip"

	"github.com/iiskit/iiskit/internal/config"
	"github.com/iiskit/iiskit/internal/resource"
)

// DefaultListen is the status server's address (CLI.md).
const DefaultListen = "127.0.0.1:9780"

// Load reads the resource file the daemon protects and every FTP resource's password
// (config.FTPPassword, as every entry point does); any error is a definition error.
func Load(path string, getenv func(string) string) (*config.File, error) {
	f, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	if len(f.Resources) == 0 {
		return nil, &config.DefinitionError{File: path, Msg: "no [[resource]] to protect"}
	}
	for i := range f.Resources {
		r := &f.Resources[i]
		if r.Type == resource.FTP {
			pw, err := config.FTPPassword(r.FTP.PasswordFile, getenv)
			if err != nil {
				return nil, fmt.Errorf("%s: resource %q: %w", path, r.Tag, err)
			}
			r.FTP.Password = pw
		}
		// The same check every action makes of its resource before it starts.
		if err := r.Validate(); err != nil {
			return nil, fmt.Errorf("%s: resource %q: %w", path, r.Tag, err)
		}
	}
	return f, nil
}

// CheckListen keeps the status page and the metrics on loopback unless the administrator
// says otherwise (remote): they name every protected site.
func CheckListen(addr string, remote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q: want HOST:PORT, e.g. %s", addr, DefaultListen)
	}
	if remote || host == "localhost" {
		return nil
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.IsLoopback() {
		return fmt.Errorf("--listen %q is not a loopback address; add --listen-remote to serve the status page and metrics beyond this machine", addr)
	}
	return nil
}
