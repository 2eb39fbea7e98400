package invocation

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestClassify: a file of the definition missing here is NodeLocal, a definition that
// cannot be right anywhere is Definition, a resolution out of time is Interrupted; the
// class comes from the error's type, whatever its text.
func TestClassify(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.toml")
	badKey := filepath.Join(dir, "bad.toml")
	ftp := filepath.Join(dir, "ftp.toml")
	for path, body := range map[string]string{
		good:   "[[resource]]\ntag = \"w\"\nsite = \"S\"\ntype = \"W3\"\n",
		badKey: "[[resource]]\ntag = \"w\"\nsite = \"S\"\ntype = \"W3\"\nsitee = \"x\"\n",
		ftp:    "[[resource]]\ntag = \"f\"\nsite = \"S\"\ntype = \"FTP\"\nftp_password_file = \"missing-pw\"\n",
	} {
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	expired, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	for _, c := range []struct {
		name string
		ctx  context.Context
		args []string
		want Class
	}{
		{"resource file missing", context.Background(), []string{"--tag", "w", "--config", filepath.Join(dir, "none.toml")}, NodeLocal},
		{"resource file is a folder", context.Background(), []string{"--tag", "w", "--config", dir}, NodeLocal},
		{"password file missing", context.Background(), []string{"--tag", "f", "--config", ftp}, NodeLocal},
		{"unknown key", context.Background(), []string{"--tag", "w", "--config", badKey}, Definition},
		{"tag not in the file", context.Background(), []string{"--tag", "x", "--config", good}, Definition},
		{"bad type", context.Background(), []string{"--tag", "w", "--site", "S", "--type", "XX"}, Definition},
		{"out of time", expired, []string{"--tag", "w", "--config", good}, Interrupted},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, _, _ := testStreams(nil)
			req, err := ParseFlags("quickcheck", c.args, s)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Resolve(c.ctx, req, time.Minute, s.Getenv)
			if err == nil {
				t.Fatal("resolved")
			}
			if got := Classify(err); got != c.want {
				t.Errorf("class %d, want %d: %v", got, c.want, err)
			}
		})
	}
}
