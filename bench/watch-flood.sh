#!/usr/bin/env bash
# watch-flood.sh [--sites N] [--conns C] [--hold S] [--bin IISKIT]: what a flood of held
# connections to the watch daemon's status port costs the daemon. N lab web sites
# (default 200) protected by `iiskit watch` (quick 2s, deep 4s); after one warm-up pass,
# a flooder process opens C connections (default 15,000) to the status port, sends one
# request on each (keep-alive) and holds them idle S seconds (default 30), then closes
# them. Reported: the daemon's
# descriptors and resident set during the flood, checks that failed during the flood,
# whether /healthz answered during it and how soon after it. --bin measures another
# build (the one before a change). Loopback only; every wait is bounded; everything is
# stopped and removed on exit.
set -euo pipefail

SITES=200
CONNS=15000
HOLD=30
BIN=
IP=127.0.2.251
BASE_PORT=21000

die() { echo "watch-flood.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
	case $1 in
	--sites) SITES=$2; shift 2 ;;
	--conns) CONNS=$2; shift 2 ;;
	--hold) HOLD=$2; shift 2 ;;
	--bin) BIN=$2; shift 2 ;;
	*) die "unknown argument $1" ;;
	esac
done

cd "$(dirname "$0")/.."
. bench/lib/watchlab.sh
work=$(mktemp -d /tmp/iiskit-watch-flood.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

if [ -z "$BIN" ]; then
	go build -o "$work/iiskit" ./cmd/iiskit
	BIN=$work/iiskit
fi

write_sites "$work/applicationHost.config" "$SITES" "$IP" "$BASE_PORT"
write_resources "$work/resources.toml" "$SITES" $'[defaults]\nprobe_timeout = "5s"\n\n[watch]\nquick_interval = "2s"\ndeep_interval = "4s"\n'

start_lab "$work/applicationHost.config" "$IP" FLOOD
start_watch --events "$work/events.jsonl"
sleep 6 # one deep interval and more: every resource checked once

fails() { curl -s --max-time 5 "http://$status/metrics" | awk '/^iiskit_watch_checks_total/ && /outcome="(fail|error)"/ {s += $2} END {print s + 0}'; }
recoveries() { curl -s --max-time 5 "http://$status/metrics" | awk '/^iiskit_watch_recoveries_total/ {s += $2} END {print s + 0}'; }
fds() { ls "/proc/$watch/fd" | wc -l; }
rss() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$watch/status"; }
fds0=$(fds)
rss0=$(rss)
fails0=$(fails)
rec0=$(recoveries)

# The flooder: up to C connections within 20 s (it stops once 50 in a row are not
# accepted: the kernel's queue is full), one keep-alive request sent on each (the answer
# is left unread), held idle, closed.
python3 - "$status" "$CONNS" "$HOLD" >"$work/flood.out" 2>&1 <<'PY' &
import socket, sys, time
host, port = sys.argv[1].rsplit(":", 1)
n, hold = int(sys.argv[2]), float(sys.argv[3])
held = []
end, misses = time.time() + 20, 0  # the connect phase: 20 s at most
while len(held) < n and time.time() < end and misses < 50:
    s = socket.socket()
    s.settimeout(0.2)
    try:
        s.connect((host, int(port)))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: " + sys.argv[1].encode() + b"\r\n\r\n")
        held.append(s)
        misses = 0
    except OSError:
        s.close()
        misses += 1  # the kernel's accept queue is full: nobody accepts more
print("held", len(held), flush=True)
time.sleep(hold)
for s in held:
    s.close()
print("closed", flush=True)
PY
flood=$!
pids+=($flood)
# The daemon's descriptors, sampled every 0.2 s while the flood lasts: their peak.
(peak=0; while kill -0 "$flood" 2>/dev/null; do n=$(ls "/proc/$watch/fd" 2>/dev/null | wc -l); [ "$n" -gt "$peak" ] && peak=$n && echo "$peak" >"$work/fdpeak"; sleep 0.2; done) &
pids+=($!)
for _ in $(seq 600); do
	grep -q '^held' "$work/flood.out" 2>/dev/null && break
	sleep 0.1
done
held=$(sed -n 's/^held //p' "$work/flood.out")
sleep $((HOLD / 2))
fds1=$(fds)
rss1=$(rss)
hz_during=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://$status/healthz" || true)
for _ in $(seq $((HOLD * 10 + 100))); do
	grep -q '^closed' "$work/flood.out" 2>/dev/null && break
	sleep 0.1
done
t0=$(date +%s.%N)
after=
for _ in $(seq 600); do
	if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://$status/healthz" || true)" = 200 ]; then
		after=$(awk -v s="$t0" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f s", e - s }')
		break
	fi
	sleep 0.1
done
fdpeak=$(cat "$work/fdpeak" 2>/dev/null || echo "?")
fails1=$(fails)
rec1=$(recoveries)
hwm=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$watch/status")

cat <<EOT
| sites | connections held | daemon fds before / peak / mid-flood | RSS before / during / peak | checks failed during the flood | recoveries during the flood | /healthz during the flood | /healthz answers after the flood drops |
|---|---:|---|---|---:|---:|---|---|
| $SITES | $held of $CONNS | $fds0 / $fdpeak / $fds1 | $rss0 / $rss1 / $hwm MiB | $((fails1 - fails0)) | $((rec1 - rec0)) | ${hz_during:-none} | ${after:-not within 60 s} |
EOT
