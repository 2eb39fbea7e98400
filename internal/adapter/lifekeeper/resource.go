package lifekeeper

import (
	"bytes"
	"fmt"

	"github.com/BurntSushi/toml"
)

// ResourceFileName is the resource file written beside the scripts of a resource defined
// inline; the scripts name it with --config.
const ResourceFileName = "resource.toml"

// Resource is a resource defined on the command line, to be written as a resource file
// (CLI.md's format) rather than into the scripts: TOML's encoder quotes every value, and
// no shell ever reads the file.
type Resource struct {
	Tag             string `toml:"tag"`
	Site            string `toml:"site"`
	Type            string `toml:"type"`
	FTPUser         string `toml:"ftp_user,omitempty"`
	FTPPasswordFile string `toml:"ftp_password_file,omitempty"`
}

// renderResource is r as a one-resource file.
func renderResource(r Resource) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("# Written by \"iiskit lifekeeper scripts\" for the scripts beside it.\n")
	if err := toml.NewEncoder(&b).Encode(struct {
		Resource []Resource `toml:"resource"`
	}{[]Resource{r}}); err != nil {
		return nil, fmt.Errorf("encode the resource file: %w", err)
	}
	return b.Bytes(), nil
}
