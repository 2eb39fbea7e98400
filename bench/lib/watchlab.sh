# Shared by bench/watch-*.sh (sourced, not run): N lab web sites and a resource file that
# protects them all, a lab host serving them and `iiskit watch` over it. The caller sets
# BIN (an iiskit binary), work (its temp folder) and pids (an array its EXIT trap stops).

# write_sites FILE N IP BASE_PORT: an applicationHost.config of N web sites "Site i", each
# with one http binding on IP:BASE_PORT+i.
write_sites() {
	local file=$1 n=$2 ip=$3 base=$4 i
	{
		echo '<?xml version="1.0" encoding="UTF-8"?>'
		echo '<configuration><system.applicationHost><sites>'
		for i in $(seq 1 "$n"); do
			echo "<site name=\"Site $i\" id=\"$i\" serverAutoStart=\"true\"><bindings><binding protocol=\"http\" bindingInformation=\"$ip:$((base + i)):\" /></bindings></site>"
		done
		echo '</sites></system.applicationHost></configuration>'
	} >"$file"
}

# write_resources FILE N HEAD: a resource file starting with HEAD (its [defaults] and
# [watch] tables) that protects the N sites of write_sites as tags site-i.
write_resources() {
	local file=$1 n=$2 head=$3 i
	{
		printf '%s' "$head"
		for i in $(seq 1 "$n"); do
			printf '\n[[resource]]\ntag = "site-%d"\nsite = "Site %d"\ntype = "W3"\n' "$i" "$i"
		done
	} >"$file"
}

# start_lab CONFIG IP HOSTNAME: `lab serve` on CONFIG with its control API on IP:0; sets
# lab to its URL once it listens (10 s at most).
start_lab() {
	"$BIN" lab serve --config "$1" --listen "$2:0" --hostname "$3" >"$work/lab.out" 2>"$work/lab.err" &
	pids+=($!)
	for _ in $(seq 100); do
		grep -q 'listening on' "$work/lab.out" 2>/dev/null && break
		sleep 0.1
	done
	lab=$(sed -n 's/^iiskit lab host listening on //p' "$work/lab.out")
	[ -n "$lab" ] || die "lab host did not start: $(cat "$work/lab.err")"
}

# start_watch ARGS...: `iiskit watch --config $work/resources.toml --listen 127.0.0.1:0
# ARGS` against the lab; sets watch to its pid and status to its status address once it
# serves (10 s at most).
start_watch() {
	IISKIT_LAB=$lab IISKIT_LOCK_DIR="${LOCK_DIR:-$work/locks}" "$BIN" watch --config "$work/resources.toml" \
		--listen 127.0.0.1:0 "$@" >/dev/null 2>"$work/watch.err" &
	watch=$!
	pids+=($watch)
	for _ in $(seq 100); do
		grep -q 'status page' "$work/watch.err" 2>/dev/null && break
		sleep 0.1
	done
	status=$(sed -n 's/.*status page http:\/\/\([^/]*\)\/.*/\1/p' "$work/watch.err")
	[ -n "$status" ] || die "watch did not start: $(cat "$work/watch.err")"
}
