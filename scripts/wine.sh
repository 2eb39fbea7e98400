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

# The Windows host packages' statement coverage, measured under Wine: the unit tests'
# profiles (-coverpkg) and the whole actions' (an iiskit.exe built with -cover, writing
# to GOCOVERDIR), merged per block; a block counts as covered if any run executed it.
COVER_PKGS=./internal/winhost/...
# (The main package must be instrumented too, or the exe writes no coverage at exit.)
GOOS=windows GOARCH=amd64 go build -cover -coverpkg="$COVER_PKGS,./cmd/iiskit" -o "$WORK/iiskit-cover.exe" ./cmd/iiskit
mkdir -p "$WORK/covdata"

# Wine reports Windows 7 unless told otherwise, and iiskit then takes the IIS 6 paths
# (FTP through the metabase): the suite runs on a prefix set to Windows 10 (the IIS 7.5+
# paths) and again set to Windows 7.
for version in win10 win7; do
	wine_version "$version"
	say "Windows tests under Wine ($version): go test -exec wine -cover"
	export IISKIT_WINE=1
	GOOS=windows GOARCH=amd64 go test -count=1 -exec wine -v -cover -coverpkg="$COVER_PKGS" \
		-coverprofile="$WORK/cover-unit-$version.out" \
		./internal/winhost/... ./internal/event/eventlog/... ./internal/platform/ \
		2>&1 | tee "$WORK/test.log" | grep -E '^(=== RUN|--- |ok|FAIL|PASS|panic)' | grep -v '=== RUN' || true
	grep -qE '^(FAIL|panic)' "$WORK/test.log" && { grep -B5 -A20 -E '^(--- FAIL|FAIL|panic)' "$WORK/test.log" | head -120; exit 1; }

	say "whole actions with iiskit.exe under Wine ($version)"
	GOCOVERDIR="Z:${WORK//\//\\}\\covdata" WINE_VERSION=$version IISKIT_EXE="$WORK/iiskit-cover.exe" SYS32="$SYS32" \
		bash scripts/wine/actions.sh
done
wine_version win10

say "statement coverage of the Windows host packages under Wine (unit tests and whole actions)"
go tool covdata textfmt -i="$WORK/covdata" -o "$WORK/cover-actions.out"
# Per file: statements, and statements in blocks some run executed.
awk 'FNR == 1 && /^mode:/ { next }
	$1 !~ /\/internal\/winhost\// { next }
	{ split($1, a, ":"); key = $1; stm[key] = $2; file[key] = a[1]; if ($3 > 0) hit[key] = 1 }
	END {
		for (k in stm) { tot[file[k]] += stm[k]; if (k in hit) cov[file[k]] += stm[k] }
		for (f in tot) { T += tot[f]; C += cov[f]; printf "%-60s %5d %5d %5.1f%%\n", f, tot[f], cov[f], 100 * cov[f] / tot[f] | "sort" }
		close("sort")
		printf "%-60s %5d %5d %5.1f%%\n", "total", T, C, 100 * C / T
	}' "$WORK"/cover-unit-*.out "$WORK/cover-actions.out" \
	| sed 's|github.com/iiskit/iiskit/||' | tee "$WORK/coverage.txt"
[[ -n ${IISKIT_COVERAGE_OUT:-} ]] && cp "$WORK/coverage.txt" "$IISKIT_COVERAGE_OUT"
# The profiles themselves (for `go tool cover -html`), when asked for.
[[ -n ${IISKIT_COVERPROFILE_DIR:-} ]] && cp "$WORK"/cover-*.out "$IISKIT_COVERPROFILE_DIR"/

say "all Windows checks passed"
