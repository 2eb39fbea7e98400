#!/usr/bin/env bash
# startup.sh [--before REF] [--runs N] [--wine]: what a one-shot iiskit command costs
# before it does anything, measured side by side in one run:
#
#   iiskit version     against  bench/startup/floor (links net/http, flag, log/slog,
#                               encoding/json; prints a line), bench/startup/floorsig (floor
#                               with the SIGINT/SIGTERM context iiskit's main sets up for
#                               every command), bench/startup/hello (a
#                               hello world) and bench/startup/prom (hello linked with the
#                               Prometheus client packages the watch daemon uses)
#   iiskit pollsite W3 127.0.0.1 PORT  against  curl -s -o /dev/null http://127.0.0.1:PORT/
#                               and floor -url (one GET), on the same local web server
#                               (bench/startup/serve, loopback)
#
# Each iiskit row is also timed as built with -tags iiskit_nolab: the packages the Windows
# exe links (no lab host), built for Linux, since the exe itself cannot be timed here.
# And, for this tree and for REF (default ff0bf99, before the lean binary): the size of
# the Linux binary and of the Windows exe, and the package inits and bytes allocated
# before main (GODEBUG=inittrace=1 iiskit version). With --wine, the Windows exes' inits
# too, under Wine (needs wine and x86_64-w64-mingw32-gcc; a throwaway prefix).
#
# Every program is built the way scripts/package.sh builds the release exe:
# CGO_ENABLED=0 go build -trimpath -ldflags "-s -w". The sizes of a plain `go build`
# (symbols and DWARF kept, as the other bench scripts build it) are printed too.
# Times come from bench/startup/timeit, which runs the commands in turn, round after
# round, so a shared machine's noise falls on all of them alike.
#
# Needs Go, git and curl. Everything it starts is stopped on exit; it listens and connects
# on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

BEFORE=ff0bf99
RUNS=300
WINE=0
die() { echo "startup.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
	case $1 in
	--before) [ $# -ge 2 ] || die "--before needs a git revision"; BEFORE=$2; shift 2 ;;
	--runs) [ $# -ge 2 ] || die "--runs needs a number"; RUNS=$2; shift 2 ;;
	--wine) WINE=1; shift ;;
	-h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
	*) die "unknown argument $1 (usage: startup.sh [--before REF] [--runs N] [--wine])" ;;
	esac
done
case $RUNS in '' | *[!0-9]*) die "--runs wants a positive number" ;; esac
command -v curl >/dev/null || die "needs curl"
git rev-parse --verify -q "$BEFORE^{commit}" >/dev/null || die "no such revision: $BEFORE"

work=$(mktemp -d /tmp/iiskit-startup.XXXXXX)
serve_pid=
cleanup() {
	[ -z "$serve_pid" ] || kill "$serve_pid" 2>/dev/null || true
	[ -z "${WINEPREFIX:-}" ] || wineserver -k 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

build() { # build OUT PKG [GOOS [TAGS]]: as scripts/package.sh builds the exe
	GOOS=${3:-linux} GOARCH=amd64 CGO_ENABLED=0 go build -trimpath -tags "${4:-}" -ldflags "-s -w" -o "$1" "$2"
}
size() { stat -c %s "$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }

echo "startup.sh: building (CGO_ENABLED=0 go build -trimpath -ldflags \"-s -w\")" >&2
mkdir -p "$work/before"
git archive "$BEFORE" | tar -x -C "$work/before"
build "$work/iiskit" ./cmd/iiskit
build "$work/iiskit.exe" ./cmd/iiskit windows
# The Windows exe's packages, built for Linux so that its start can be timed here: the
# tag iiskit_nolab leaves out the lab host as the Windows build does (test/arch checks it).
build "$work/iiskit-nolab" ./cmd/iiskit linux iiskit_nolab
go build -o "$work/iiskit-plain" ./cmd/iiskit
(cd "$work/before" && build "$work/before-iiskit" ./cmd/iiskit &&
	build "$work/before-iiskit.exe" ./cmd/iiskit windows &&
	go build -o "$work/before-iiskit-plain" ./cmd/iiskit)
for p in hello floor floorsig prom serve; do build "$work/$p" "./bench/startup/$p"; done
go build -o "$work/timeit" ./bench/startup/timeit

inits() { # inits CMD...: "N inits, B bytes, A allocations" before main
	GODEBUG=inittrace=1 "$@" 2>&1 >/dev/null | awk '/^init /{n++; b += $8; a += $10}
		END { printf "%d | %.0f KB | %d\n", n, b / 1024, a }'
}

echo
echo "## $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3)"
echo
echo "Before: $(git rev-parse --short "$BEFORE"); after: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . || echo ' (with uncommitted changes)')."
echo
echo "| binary | before | after |"
echo "|---|---:|---:|"
echo "| linux/amd64, -trimpath -ldflags \"-s -w\" | $(mb "$(size "$work/before-iiskit")") | $(mb "$(size "$work/iiskit")") |"
echo "| windows/amd64 exe, -trimpath -ldflags \"-s -w\" (scripts/package.sh) | $(mb "$(size "$work/before-iiskit.exe")") | $(mb "$(size "$work/iiskit.exe")") |"
echo "| linux/amd64, plain \`go build\` | $(mb "$(size "$work/before-iiskit-plain")") | $(mb "$(size "$work/iiskit-plain")") |"
echo
echo "Package inits and allocations before main (GODEBUG=inittrace=1):"
echo
echo "| program | inits | bytes | allocations |"
echo "|---|---:|---:|---:|"
echo "| iiskit version, before (linux) | $(inits "$work/before-iiskit" version) |"
echo "| iiskit version, after (linux) | $(inits "$work/iiskit" version) |"
echo "| iiskit version, after (linux, -tags iiskit_nolab: the Windows exe's packages) | $(inits "$work/iiskit-nolab" version) |"
if [ "$WINE" = 1 ]; then
	# shellcheck source=scripts/wine/prefix.sh
	. scripts/wine/prefix.sh
	wine_prefix "$work/wineprefix" >/dev/null 2>&1
	echo "| iiskit.exe version, before (Wine) | $(inits wine "$work/before-iiskit.exe" version) |"
	echo "| iiskit.exe version, after (Wine) | $(inits wine "$work/iiskit.exe" version) |"
fi
echo "| floor | $(inits "$work/floor") |"
echo "| floorsig | $(inits "$work/floorsig") |"
echo "| prom | $(inits "$work/prom") |"
echo "| hello | $(inits "$work/hello") |"

# The local web server, on loopback; it stops when its stdin (a fifo held open here) closes.
mkfifo "$work/stdin"
"$work/serve" "$work/addr" <"$work/stdin" &
serve_pid=$!
exec 3>"$work/stdin"
for _ in $(seq 100); do [ -s "$work/addr" ] && break; sleep 0.1; done
[ -s "$work/addr" ] || die "the web server did not start"
addr=$(cat "$work/addr")
ip=${addr%:*} port=${addr#*:}
"$work/iiskit" pollsite W3 "$ip" "$port" >/dev/null || die "iiskit pollsite failed against $addr"
"$work/before-iiskit" pollsite W3 "$ip" "$port" >/dev/null || die "the earlier pollsite failed against $addr"
curl -fs -o /dev/null "http://$addr/" || die "curl failed against $addr"

echo
echo "Process start, $RUNS rounds:"
echo
"$work/timeit" -runs "$RUNS" \
	"floor=$work/floor" \
	"iiskit version=$work/iiskit version" \
	"iiskit version, before=$work/before-iiskit version" \
	"iiskit version, -tags iiskit_nolab=$work/iiskit-nolab version" \
	"floorsig=$work/floorsig" \
	"hello=$work/hello" \
	"prom=$work/prom"
echo
echo "One HTTP check of http://$addr/, $RUNS rounds:"
echo
"$work/timeit" -runs "$RUNS" \
	"curl -s -o /dev/null=curl -s -o /dev/null http://$addr/" \
	"iiskit pollsite W3=$work/iiskit pollsite W3 $ip $port" \
	"iiskit pollsite W3, before=$work/before-iiskit pollsite W3 $ip $port" \
	"iiskit pollsite W3, -tags iiskit_nolab=$work/iiskit-nolab pollsite W3 $ip $port" \
	"floor -url (one GET)=$work/floor -url http://$addr/"
exec 3>&-
