//go:build windows

package lock

import "testing"

func TestDefaultDirIsProgramData(t *testing.T) {
	env := map[string]string{"ProgramData": `D:\ProgramData`, "TEMP": `C:\Users\admin\AppData\Local\Temp`}
	if got, want := Dir(func(k string) string { return env[k] }), `D:\ProgramData\iiskit\locks`; got != want {
		t.Errorf("Dir = %q, want %q", got, want)
	}
	env[DirEnv] = `E:\locks`
	if got := Dir(func(k string) string { return env[k] }); got != `E:\locks` {
		t.Errorf("Dir with %s = %q", DirEnv, got)
	}
}
