package appcmd

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/iiskit/iiskit/internal/iisconfig"
)

// xmlListing is `appcmd list site /config /xml`: one <SITE> per site, whose attributes
// are the same names /text:* prints, and (with /config) the site's own <site> element.
type xmlListing struct {
	XMLName xml.Name  `xml:"appcmd"`
	Sites   []xmlSite `xml:"SITE"`
}

type xmlSite struct {
	Name     string `xml:"SITE.NAME,attr"`
	ID       string `xml:"SITE.ID,attr"`
	Bindings string `xml:"bindings,attr"`
	State    string `xml:"state,attr"`
	Config   *struct {
		Bindings *struct {
			Binding []struct {
				Protocol    string `xml:"protocol,attr"`
				Information string `xml:"bindingInformation,attr"`
			} `xml:"binding"`
		} `xml:"bindings"`
	} `xml:"site"`
}

// ParseXML reads the output of `appcmd list site [/config] /xml`. Bindings come from the
// nested <binding> elements when /config supplied them, else from the bindings attribute.
// An ERROR line instead of XML is returned as an *Error.
func ParseXML(out []byte) ([]iisconfig.Site, error) {
	text, err := decodeText(out)
	if err != nil {
		return nil, err
	}
	if e := findError(text); e != nil {
		return nil, e
	}
	if strings.TrimSpace(text) == "" {
		return nil, errors.New("appcmd printed nothing where a listing was expected")
	}
	dec := xml.NewDecoder(strings.NewReader(text))
	// decodeText has already made the text UTF-8 whatever the declaration says.
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var l xmlListing
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("appcmd XML listing: %w", err)
	}
	sites := make([]iisconfig.Site, 0, len(l.Sites))
	for _, x := range l.Sites {
		id, err := strconv.ParseInt(strings.TrimSpace(x.ID), 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("appcmd XML listing: site %q has id %q, not a positive number", x.Name, x.ID)
		}
		s := iisconfig.Site{Name: x.Name, ID: id, State: parseState(x.State)}
		if x.Config != nil && x.Config.Bindings != nil {
			s.Bindings = []iisconfig.RawBinding{}
			for _, b := range x.Config.Bindings.Binding {
				s.Bindings = append(s.Bindings, iisconfig.RawBinding{Protocol: strings.ToLower(b.Protocol), Information: b.Information})
			}
		} else {
			s.Bindings = splitBindings(x.Bindings)
		}
		sites = append(sites, s)
	}
	return sites, nil
}

// decodeText turns appcmd's bytes into UTF-8 text: it drops a UTF-8 byte-order mark and
// converts UTF-16LE (with its mark), which a console redirection can produce. Anything
// else that is not valid UTF-8 is an error rather than a mangled site name.
func decodeText(b []byte) (string, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		b = b[2:]
		if len(b)%2 != 0 {
			return "", errors.New("appcmd output: odd length for UTF-16 text")
		}
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
		return string(utf16.Decode(u)), nil
	}
	if !utf8.Valid(b) {
		return "", errors.New("appcmd output is not UTF-8 text")
	}
	return string(b), nil
}
