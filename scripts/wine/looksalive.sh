#!/usr/bin/env bash
# LooksAlive's wall time on the Windows platform under Wine, before and after a change,
# measured from outside: the WSFC Generic Script (iiskit wsfc script --platform windows)
# with scripts/wine/wsfc-harness.vbs under Wine's cscript, against the stand-in IIS of
# scripts/wine.sh. Each round times `Open` and `Open` + 10 LooksAlive in one script host
# and takes the difference / 10; the two builds alternate round by round. Also times a
# bare quickcheck process. Usage: scripts/wine/looksalive.sh [BEFORE_REF] [ROUNDS]
# (default ff0bf99, the last commit that read W3 sites through appcmd; 9 rounds).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
REF=${1:-ff0bf99}
ROUNDS=${2:-9}
# shellcheck source=prefix.sh
. scripts/wine/prefix.sh
WORK=$(mktemp -d /tmp/iiskit-looksalive.XXXXXX)
trap 'wineserver -k >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
wine_prefix "$WORK/prefix"
wine_iis "$ROOT" W3SVC
C="$WINEPREFIX/drive_c/iiskit"
mkdir -p "$WORK/before"
git archive "$REF" | tar -x -C "$WORK/before"
(cd "$WORK/before" && GOOS=windows GOARCH=amd64 go build -o "$C/before.exe" ./cmd/iiskit)
GOOS=windows GOARCH=amd64 go build -o "$C/after.exe" ./cmd/iiskit
go build -o "$WORK/iiskit" ./cmd/iiskit
printf '%s' '{"sites":[{"name":"Default Web Site","id":1,"state":"Started","bindings":[{"protocol":"http","bindingInformation":"127.0.0.1:80:"}]}]}' >"$C/iis.json"
printf '%s' '{"sites":[{"name":"Default Web Site","id":1,"state":"Started","bindings":[{"protocol":"http","information":"127.0.0.1:80:"}]}]}' >"$SYS32/inetsrv/appcmd-state.json"
for v in before after; do
	"$WORK/iiskit" wsfc script --tag t --site "Default Web Site" --type W3 --platform windows --exe "C:\\iiskit\\$v.exe" >"$C/gen-$v.vbs"
	cat "$C/gen-$v.vbs" scripts/wine/wsfc-harness.vbs >"$C/run-$v.vbs"
	wine cscript //nologo "C:\\iiskit\\run-$v.vbs" Open LooksAlive | grep -q 'LooksAlive=True' || { echo "$v: LooksAlive is not True"; exit 1; }
done
ms() { local s; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; echo $((($(date +%s%N) - s) / 1000000)); }
ten=(LooksAlive LooksAlive LooksAlive LooksAlive LooksAlive LooksAlive LooksAlive LooksAlive LooksAlive LooksAlive)
for _ in $(seq "$ROUNDS"); do
	for v in before after; do
		open=$(ms wine cscript //nologo "C:\\iiskit\\run-$v.vbs" Open)
		all=$(ms wine cscript //nologo "C:\\iiskit\\run-$v.vbs" Open "${ten[@]}")
		echo $(((all - open) / 10)) >>"$WORK/la-$v"
		ms wine "$C/$v.exe" quickcheck --tag t --site "Default Web Site" --type W3 --platform windows >>"$WORK/qc-$v"
	done
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {printf "median %d ms (%d-%d)", a[int((NR+1)/2)], a[1], a[NR]}'; }
for v in before after; do
	echo "$v: LooksAlive $(median "$WORK/la-$v"); quickcheck process $(median "$WORK/qc-$v")"
done
echo "rounds $ROUNDS, load average $(cut -d' ' -f1-3 /proc/loadavg)"
