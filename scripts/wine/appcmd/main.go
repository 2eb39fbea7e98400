// Command appcmd is a stand-in for IIS's appcmd.exe, for running iiskit's Windows build
// under Wine where there is no IIS. It answers the requests iiskit makes (list site
// /config /xml, start site, stop site) as appcmd does, from a JSON state file beside the
// exe (appcmd-state.json), and appends the argv of every call as a JSON line to
// appcmd-calls.log, so tests can see exactly what each process received. Test use only.
package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

type binding struct {
	Protocol    string `json:"protocol"`
	Information string `json:"information"`
}

type site struct {
	Name     string    `json:"name"`
	ID       int64     `json:"id"`
	State    string    `json:"state"`
	Bindings []binding `json:"bindings"`
}

type state struct {
	Sites []site `json:"sites"`
}

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	exe, err := os.Executable()
	if err != nil {
		return fail(1, "cannot find myself: "+err.Error())
	}
	dir := filepath.Dir(exe)
	logCall(filepath.Join(dir, "appcmd-calls.log"), args)
	statePath := filepath.Join(dir, "appcmd-state.json")
	var st state
	if b, err := os.ReadFile(statePath); err == nil {
		if err := json.Unmarshal(b, &st); err != nil {
			return fail(13, "bad state file: "+err.Error())
		}
	}
	switch {
	case len(args) >= 2 && args[0] == "list" && strings.EqualFold(args[1], "site"):
		return list(st)
	case len(args) == 3 && (args[0] == "start" || args[0] == "stop") && strings.EqualFold(args[1], "site"):
		name, ok := strings.CutPrefix(args[2], "/site.name:")
		if !ok {
			name = args[2]
		}
		for i := range st.Sites {
			if strings.EqualFold(st.Sites[i].Name, name) {
				if args[0] == "start" {
					st.Sites[i].State = "Started"
				} else {
					st.Sites[i].State = "Stopped"
				}
				b, _ := json.MarshalIndent(st, "", "  ")
				if err := os.WriteFile(statePath, b, 0o644); err != nil {
					return fail(5, err.Error())
				}
				done := map[string]string{"start": "started", "stop": "stopped"}[args[0]]
				fmt.Printf("\"%s\" successfully %s.\r\n", st.Sites[i].Name, done)
				return 0
			}
		}
		return fail(1168, fmt.Sprintf("Cannot find SITE object with identifier \"%s\".", name))
	}
	return fail(1, "Unknown command or object: "+strings.Join(args, " "))
}

func list(st state) int {
	type xb struct {
		Protocol    string `xml:"protocol,attr"`
		Information string `xml:"bindingInformation,attr"`
	}
	type xsite struct {
		XMLName  xml.Name `xml:"SITE"`
		Name     string   `xml:"SITE.NAME,attr"`
		ID       int64    `xml:"SITE.ID,attr"`
		Bindings string   `xml:"bindings,attr"`
		State    string   `xml:"state,attr"`
		Config   struct {
			Name     string `xml:"name,attr"`
			ID       int64  `xml:"id,attr"`
			Bindings []xb   `xml:"bindings>binding"`
		} `xml:"site"`
	}
	out := struct {
		XMLName xml.Name `xml:"appcmd"`
		Sites   []xsite
	}{}
	for _, s := range st.Sites {
		x := xsite{Name: s.Name, ID: s.ID, State: s.State}
		var parts []string
		for _, b := range s.Bindings {
			parts = append(parts, b.Protocol+"/"+b.Information)
			x.Config.Bindings = append(x.Config.Bindings, xb(b))
		}
		x.Bindings = strings.Join(parts, ",")
		x.Config.Name, x.Config.ID = s.Name, s.ID
		out.Sites = append(out.Sites, x)
	}
	b, err := xml.MarshalIndent(out, "", "    ")
	if err != nil {
		return fail(13, err.Error())
	}
	fmt.Print("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n" + strings.ReplaceAll(string(b), "\n", "\r\n") + "\r\n")
	return 0
}

func logCall(path string, args []string) {
	b, _ := json.Marshal(args)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	_, _ = f.Write(append(b, '\n'))
}

func fail(code int, msg string) int {
	fmt.Printf("ERROR ( message:%s )\r\n", msg)
	return code
}
