#!/usr/bin/env bash
# Runs iiskit's Windows side under Wine (Debian's wine64): builds and vets the Windows
# binary, checks the exe carries its message table, then runs the Windows tests with
# `go test -exec wine` against stand-in W3SVC/FTPSVC services and a stand-in appcmd.exe
# at the real path, and finally whole actions with the Windows iiskit.exe.
# Needs root on Debian 12 (it installs packages); about 1-3 minutes on a warm machine.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=wine/prefix.sh
. scripts/wine/prefix.sh
say() { printf '\n=== wine.sh: %s\n' "$*"; }

say "Windows build and vet"
GOOS=windows GOARCH=amd64 go build ./...
GOOS=windows GOARCH=amd64 go vet ./...

need=()
command -v wine >/dev/null || need+=(wine64 wine)
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64-win32)
command -v x86_64-w64-mingw32-windres >/dev/null || need+=(binutils-mingw-w64-x86-64)
wine_install "${need[@]}"

say "message table: the committed .syso is current and iiskit.exe carries IDs 9400..9899"
go test -count=1 ./internal/event/msgtable/...
WORK=$(mktemp -d /tmp/iiskit-wine.XXXXXX)
GOOS=windows GOARCH=amd64 go build -o "$WORK/iiskit.exe" ./cmd/iiskit
x86_64-w64-mingw32-objdump -p "$WORK/iiskit.exe" | grep -q 'Entry: ID: 0x00000b' \
	|| { echo "iiskit.exe has no RT_MESSAGETABLE (type 0xb) resource"; exit 1; }
echo "iiskit.exe: RT_MESSAGETABLE present"

cleanup() {
	wineserver -k >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap cleanup EXIT

say "Wine prefix at $WORK/prefix, with the ProcessPrng stand-in (Go 1.22+ needs it; Wine 8 lacks it)"
wine_prefix "$WORK/prefix"

say "stand-in IIS: services W3SVC FTPSVC MSFTPSVC SMTPSVC, appcmd.exe, the configuration API and IIS 6 WMI script components"
wine_iis "$ROOT" W3SVC FTPSVC MSFTPSVC SMTPSVC
export -f ensure_running
echo "created and started: W3SVC FTPSVC MSFTPSVC SMTPSVC; registered the stand-ins"

say "Windows tests under Wine: go test -exec wine"
export IISKIT_WINE=1
GOOS=windows GOARCH=amd64 go test -count=1 -exec wine -v \
	./internal/winhost/... ./internal/winhost/appcmd/... ./internal/event/eventlog/... ./internal/platform/ \
	2>&1 | tee "$WORK/test.log" | grep -E '^(=== RUN|--- |ok|FAIL|PASS|panic)' | grep -v '=== RUN' || true
grep -qE '^(FAIL|panic)' "$WORK/test.log" && { grep -B5 -A20 -E '^(--- FAIL|FAIL|panic)' "$WORK/test.log" | head -120; exit 1; }

say "whole actions with iiskit.exe under Wine"
IISKIT_EXE="$WORK/iiskit.exe" SYS32="$SYS32" bash scripts/wine/actions.sh

say "all Windows checks passed"
