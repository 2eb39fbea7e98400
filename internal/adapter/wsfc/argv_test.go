package wsfc

import (
	"testing"
)

// hostile are arguments that break naive quoting: quotes, cmd.exe's metacharacters,
// percent signs, backslashes before quotes and at the end, blanks, non-ASCII.
var hostile = []string{
	"",
	"plain",
	"Default Web Site",
	`x"; Remove-Item C:\ -Recurse; "`,
	`a"b`,
	`"`,
	`""`,
	`\`,
	`\\`,
	`a\`,
	`a b\`,
	`a b\\`,
	`a\"b`,
	`a\\"b`,
	`\\server\share\`,
	`C:\Program Files\iiskit\`,
	`100% & ^ | < > %PATH% !x! ^&`,
	"tab\there",
	"new\nline",
	"crème brûlée 日本 😀",
	`--site=x" --type "FTP`,
}

func TestQuoteArgTable(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", `""`},
		{"plain", "plain"},
		{`C:\dir\file`, `C:\dir\file`}, // backslashes without quotes mean nothing
		{"Default Web Site", `"Default Web Site"`},
		{`a"b`, `a\"b`},
		{`a\"b`, `a\\\"b`},
		{`a "b`, `"a \"b"`},
		{`a b\`, `"a b\\"`},
		{`%PATH% & ^`, `"%PATH% & ^"`},
		{`x&y^z%`, `x&y^z%`},       // no cmd.exe: its metacharacters are plain text
		{"new\nline", "new\nline"}, // CommandLineToArgvW splits on blanks and tabs only
	} {
		if got := QuoteArg(c.in); got != c.want {
			t.Errorf("QuoteArg(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

// TestQuoteArgRoundTrip parses command lines made by CommandLine back with Windows'
// rules and gets the arguments back unchanged, each one whole.
func TestQuoteArgRoundTrip(t *testing.T) {
	got := commandLineToArgv(`"C:\Program Files\iiskit\iiskit.exe" ` + CommandLine(hostile))
	if len(got) != len(hostile)+1 {
		t.Fatalf("parsed %d arguments, want %d: %q", len(got), len(hostile)+1, got)
	}
	if got[0] != `C:\Program Files\iiskit\iiskit.exe` {
		t.Errorf("program %q", got[0])
	}
	for i, want := range hostile {
		if got[i+1] != want {
			t.Errorf("argument %d: %q, want %q", i, got[i+1], want)
		}
	}
}

func TestQuoteProgram(t *testing.T) {
	if q, err := QuoteProgram(`C:\Program Files\iiskit\iiskit.exe`); err != nil || q != `"C:\Program Files\iiskit\iiskit.exe"` {
		t.Errorf("QuoteProgram = %s %v", q, err)
	}
	for _, bad := range []string{"", `C:\a"b.exe`} {
		if _, err := QuoteProgram(bad); err == nil {
			t.Errorf("QuoteProgram(%q) accepted", bad)
		}
	}
}

// commandLineToArgv is the reference parser: a copy of Go's own Windows one
// (os/exec_windows.go, commandLineToArgv and readNextArg, Go 1.26), which follows
// CommandLineToArgvW's rules for the arguments after the program name (2n backslashes
// before a quote give n and toggle quoting, 2n+1 give n and a quote). The program name
// is read as CommandLineToArgvW reads it: up to the closing quote, no escapes. The
// Windows build checks the same cases against Windows' own parser
// (argv_windows_test.go).
func commandLineToArgv(cmd string) []string {
	var args []string
	if len(cmd) > 0 && cmd[0] == '"' {
		end := 1
		for end < len(cmd) && cmd[end] != '"' {
			end++
		}
		args = append(args, cmd[1:end])
		if end < len(cmd) {
			end++
		}
		cmd = cmd[end:]
	}
	for len(cmd) > 0 {
		if cmd[0] == ' ' || cmd[0] == '\t' {
			cmd = cmd[1:]
			continue
		}
		var arg []byte
		arg, cmd = readNextArg(cmd)
		args = append(args, string(arg))
	}
	return args
}

func readNextArg(cmd string) (arg []byte, rest string) {
	var b []byte
	var inquote bool
	var nslash int
	for ; len(cmd) > 0; cmd = cmd[1:] {
		c := cmd[0]
		switch c {
		case ' ', '\t':
			if !inquote {
				return appendBSBytes(b, nslash), cmd[1:]
			}
		case '"':
			b = appendBSBytes(b, nslash/2)
			if nslash%2 == 0 {
				if inquote && len(cmd) > 1 && cmd[1] == '"' {
					b = append(b, c)
					cmd = cmd[1:]
				}
				inquote = !inquote
			} else {
				b = append(b, c)
			}
			nslash = 0
			continue
		case '\\':
			nslash++
			continue
		}
		b = appendBSBytes(b, nslash)
		nslash = 0
		b = append(b, c)
	}
	return appendBSBytes(b, nslash), ""
}

func appendBSBytes(b []byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, '\\')
	}
	return b
}
