#!/usr/bin/env bash
# Process-level wall time of `iiskit quickcheck` and `iiskit deepcheck` against a lab host,
# as a cluster manager sees it (process start included). Prints min, median and max of N
# runs (default 50). Uses hyperfine when it is installed, else a plain loop.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-50}
work=$(mktemp -d /tmp/iiskit-bench.XXXXXX)
trap 'kill "$lab_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/iiskit" ./cmd/iiskit
cat >"$work/applicationHost.config" <<'XML'
<configuration><system.applicationHost><sites>
<site name="Default Web Site" id="1"><bindings><binding protocol="http" bindingInformation="127.0.2.9:8080:" /></bindings></site>
</sites></system.applicationHost></configuration>
XML
"$work/iiskit" lab serve --listen 127.0.0.1:0 --config "$work/applicationHost.config" >"$work/lab.out" 2>&1 &
lab_pid=$!
for _ in $(seq 100); do
	url=$(sed -n 's/^iiskit lab host listening on //p' "$work/lab.out")
	[ -n "$url" ] && break
	sleep 0.05
done
[ -n "$url" ] || { cat "$work/lab.out"; exit 1; }
export IISKIT_LAB=$url IISKIT_LOCK_DIR=$work/locks

for action in quickcheck deepcheck; do
	cmd="$work/iiskit $action --tag iis-www1 --site 'Default Web Site' --type W3"
	if command -v hyperfine >/dev/null; then
		hyperfine -N --warmup 3 --runs "$N" --export-json "$work/$action.json" "$cmd" >/dev/null
		python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; t=sorted(r['times']); print('%-10s min %.2f ms  median %.2f ms  max %.2f ms  (%d runs)' % (sys.argv[2], t[0]*1e3, r['median']*1e3, t[-1]*1e3, len(t)))" "$work/$action.json" "$action"
	else
		times=()
		for _ in $(seq "$N"); do
			s=$(date +%s%N)
			eval "$cmd" >/dev/null
			e=$(date +%s%N)
			times+=($(((e - s) / 1000)))
		done
		printf '%s\n' "${times[@]}" | sort -n | awk -v a="$action" '{t[NR]=$1} END {printf "%-10s min %.2f ms  median %.2f ms  max %.2f ms  (%d runs)\n", a, t[1]/1000, t[int((NR+1)/2)]/1000, t[NR]/1000, NR}'
	fi
done
