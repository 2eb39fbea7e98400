#!/usr/bin/env bash
# watch-shutdown.sh [--sites N] [--concurrency K] [--bin IISKIT]: how long `iiskit watch`
# takes to exit after SIGTERM when N lab web sites (default 40) accept and never answer
# (`respond hang`) and at most K checks run at once (default 4): the rest wait in the
# queue. The daemon runs one deep interval first, so that every worker holds a hung
# deepcheck and the queue is full, then gets SIGTERM. --bin measures another build.
# Loopback only; every wait is bounded; everything is stopped and removed on exit.
set -euo pipefail

SITES=40
CONC=4
BIN=
IP=127.0.2.252
BASE_PORT=22000

die() { echo "watch-shutdown.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
	case $1 in
	--sites) SITES=$2; shift 2 ;;
	--concurrency) CONC=$2; shift 2 ;;
	--bin) BIN=$2; shift 2 ;;
	*) die "unknown argument $1" ;;
	esac
done

cd "$(dirname "$0")/.."
. bench/lib/watchlab.sh
work=$(mktemp -d /tmp/iiskit-watch-shutdown.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

if [ -z "$BIN" ]; then
	go build -o "$work/iiskit" ./cmd/iiskit
	BIN=$work/iiskit
fi
write_sites "$work/applicationHost.config" "$SITES" "$IP" "$BASE_PORT"
write_resources "$work/resources.toml" "$SITES" $'[watch]\nquick_interval = "1s"\ndeep_interval = "1s"\n'

start_lab "$work/applicationHost.config" "$IP" HUNG
for i in $(seq 1 "$SITES"); do
	IISKIT_LAB=$lab "$BIN" lab site "Site $i" respond hang >/dev/null
done

start_watch --concurrency "$CONC"
sleep 3 # every first deepcheck due; K of them hung, the rest queued
t0=$(date +%s.%N)
kill -TERM "$watch"
code=0
for _ in $(seq 3000); do
	kill -0 "$watch" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$watch" 2>/dev/null; then
	echo "| $SITES | $CONC | still running after 300 s |"
	exit 0
fi
wait "$watch" || code=$?
echo "| hung sites | concurrency | SIGTERM to exit | exit status |"
echo "|---:|---:|---:|---:|"
awk -v s="$t0" -v e="$(date +%s.%N)" -v n="$SITES" -v k="$CONC" -v c="$code" 'BEGIN { printf "| %d | %d | %.1f s | %d |\n", n, k, e - s, c }'
