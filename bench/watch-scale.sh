#!/usr/bin/env bash
# watch-scale.sh [--sites N] [--seconds S] [--quick D] [--deep D] [--out FILE]: the cost
# of the watch daemon protecting N lab sites (default 1,000) for S seconds (default 60):
# CPU time of the daemon process as a percentage of one core, and its peak resident set
# (VmHWM). The lab host runs as its own process, so its work (serving the listings and
# answering the probes) is not counted.
#
# It builds iiskit, writes an applicationHost.config with N web sites (http bindings on
# 127.0.2.250, ports 20000 up) and a resource file protecting all of them (quick_interval
# 5s, deep_interval 10s by default), starts `iiskit lab serve` and `iiskit watch`, lets the
# daemon run one deep interval to start every resource (their starts are staggered over one
# quick interval), then measures S seconds. Loopback only; everything lives under a temp
# folder and is stopped on exit; every wait is bounded.
set -euo pipefail

SITES=1000
SECONDS_=60
QUICK=5s
DEEP=10s
OUT=
IP=127.0.2.250
BASE_PORT=20000

die() { echo "watch-scale.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
	case $1 in
	--sites) SITES=$2; shift 2 ;;
	--seconds) SECONDS_=$2; shift 2 ;;
	--quick) QUICK=$2; shift 2 ;;
	--deep) DEEP=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	*) die "unknown argument $1" ;;
	esac
done

cd "$(dirname "$0")/.."
. bench/lib/watchlab.sh
work=$(mktemp -d /tmp/iiskit-watch-scale.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/iiskit" ./cmd/iiskit
BIN=$work/iiskit

write_sites "$work/applicationHost.config" "$SITES" "$IP" "$BASE_PORT"
write_resources "$work/resources.toml" "$SITES" "$(printf '[defaults]\nprobe_timeout = "5s"\n\n[watch]\nquick_interval = "%s"\ndeep_interval = "%s"\n' "$QUICK" "$DEEP")"

start_lab "$work/applicationHost.config" "$IP" SCALE

# shellcheck disable=SC2086 # WATCH_FLAGS holds several flags
start_watch ${WATCH_FLAGS:-} --events "$work/events.jsonl"

deep_s=${DEEP%s}
echo "warming up for one deep interval ($DEEP)..." >&2
sleep "$deep_s"

ticks() { awk '{print $14 + $15}' "/proc/$watch/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks)
start=$(date +%s.%N)
sleep "$SECONDS_"
t1=$(ticks)
end=$(date +%s.%N)
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$watch/status")
metrics=$(curl -s --max-time 5 "http://$status/metrics" || true)
checks=$(echo "$metrics" | awk '/^iiskit_watch_checks_total/ {s += $2} END {print s + 0}')
up=$(echo "$metrics" | awk '/^iiskit_watch_up/ {s += $2} END {print s + 0}')
listings=$(echo "$metrics" | awk '/^iiskit_watch_site_listings_total/ {s += $2} END {print s + 0}')
heap=$(echo "$metrics" | awk '/^go_memstats_heap_inuse_bytes/ {printf "%.1f", $2 / 1048576}')
cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$hz" -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", (b - a) / hz / (e - s) * 100 }')
rss=$(awk -v k="$hwm" 'BEGIN { printf "%.1f", k / 1024 }')

table=$(cat <<EOT
| sites | quick / deep interval | measured | daemon CPU (% of one core) | peak RSS (VmHWM) | Go heap in use at the end | resources up | checks run (whole run) | site listings (whole run) |
|---|---|---|---|---|---|---|---|---|
| $SITES | $QUICK / $DEEP | ${SECONDS_} s | $cpu % | $rss MiB | $heap MiB | $up | $checks | $listings |
EOT
)
echo "$table"
[ -z "$OUT" ] || echo "$table" >"$OUT"
