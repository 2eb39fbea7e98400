#!/usr/bin/env bash
# Whole actions run by the Windows iiskit.exe under Wine (called by scripts/wine.sh, which
# sets WINEPREFIX, IISKIT_EXE and SYS32 and has made the stand-in services and appcmd).
# Wine keeps no event log, so events are read from --json on stdout.
set -euo pipefail

INETSRV="$SYS32/inetsrv"
STATE="$INETSRV/appcmd-state.json"
CALLS="$INETSRV/appcmd-calls.log"
fails=0

sites() { # the stand-in IIS: one W3 site in state $1
	cat >"$STATE" <<JSON
{"sites":[{"name":"Default Web Site","id":1,"state":"$1","bindings":[{"protocol":"http","information":"127.0.0.2:80:"}]},
          {"name":"x\"; Remove-Item C:\\\\ -Recurse; \"","id":2,"state":"Started","bindings":[{"protocol":"http","information":"127.0.0.3:80:"}]}]}
JSON
	rm -f "$CALLS"
}

# expect NAME EXIT "ID ID ..." PROCESSES -- iiskit args: runs one action and checks its exit
# status, the IDs of its events in order, and how many appcmd processes it started.
expect() {
	local name=$1 want_exit=$2 want_ids=$3 want_procs=$4
	shift 5
	local out code=0
	[[ ${STOPPED_W3:-} == 1 ]] || ensure_running W3SVC
	out=$(wine "$IISKIT_EXE" "$@" --platform windows --json 2>"$INETSRV/stderr.txt") || code=$?
	local ids
	ids=$(printf '%s\n' "$out" | { grep -o '"id":[0-9]*' || true; } | cut -d: -f2 | tr '\n' ' ' | sed 's/ $//')
	local procs=0
	[[ -f $CALLS ]] && procs=$(wc -l <"$CALLS")
	if [[ $code == "$want_exit" && $ids == "$want_ids" && ($want_procs == "-" || $procs == "$want_procs") ]]; then
		printf 'PASS %-40s exit %s, events [%s], appcmd processes %s\n' "$name" "$code" "$ids" "$procs"
	else
		printf 'FAIL %-40s exit %s (want %s), events [%s] (want [%s]), appcmd processes %s (want %s)\n' \
			"$name" "$code" "$want_exit" "$ids" "$want_ids" "$procs" "$want_procs"
		printf '%s\n' "$out"
		cat "$INETSRV/stderr.txt"
		fails=$((fails + 1))
	fi
	rm -f "$CALLS"
}

W3=(--tag iis-www1 --site "Default Web Site" --type W3 --retry-interval 50ms)

sites Stopped
expect "quickcheck, site stopped" 1 "9704" 1 -- quickcheck "${W3[@]}"
expect "restore" 0 "9407" - -- restore "${W3[@]}"
expect "quickcheck, site started" 0 "" 1 -- quickcheck "${W3[@]}"
expect "remove" 0 "9558" - -- remove "${W3[@]}"
expect "quickcheck after remove" 1 "9704" 1 -- quickcheck "${W3[@]}"
expect "recover (site stays stopped)" 1 "9606" - -- recover "${W3[@]}" --timeout 5s
expect "quickcheck, no such site" 1 "9707" 1 -- quickcheck --tag t2 --site "nope" --type W3
expect "restore, hostile name absent" 1 "9414 9408" - -- restore --tag t3 --site 'x"; Remove-Item C:\ -Recurse; "x' --type W3
sites Started
expect "remove, hostile-named site" 0 "9558" - -- remove --tag t4 --site 'x"; Remove-Item C:\ -Recurse; "' --type W3
grep -q '"id":2,"state":"Stopped"' <(tr -d ' \n' <"$STATE") || { echo "FAIL hostile-named site not stopped by its exact name"; fails=$((fails + 1)); }

wine sc stop W3SVC >/dev/null || true
for _ in $(seq 100); do wine sc query W3SVC | grep -q STOPPED && break; sleep 0.1; done
STOPPED_W3=1 expect "quickcheck, W3SVC stopped" 1 "9705" 0 -- quickcheck "${W3[@]}"
STOPPED_W3=1 expect "restore starts W3SVC" 0 "9407" - -- restore "${W3[@]}"

rm -f "$INETSRV/appcmd.exe.bak"
mv "$INETSRV/appcmd.exe" "$INETSRV/appcmd.exe.bak"
expect "appcmd missing: exit 2" 2 "" 0 -- quickcheck "${W3[@]}"
grep -q 'appcmd' "$INETSRV/stderr.txt" || { echo "FAIL the message does not name appcmd"; fails=$((fails + 1)); }
mv "$INETSRV/appcmd.exe.bak" "$INETSRV/appcmd.exe"

out=$(wine "$IISKIT_EXE" eventlog install) && echo "PASS eventlog install: $out" || { echo "FAIL eventlog install"; fails=$((fails + 1)); }
out=$(wine "$IISKIT_EXE" eventlog install) && echo "PASS eventlog install again: $out" || { echo "FAIL eventlog install (again)"; fails=$((fails + 1)); }
out=$(wine "$IISKIT_EXE" eventlog uninstall) && echo "PASS eventlog uninstall: $out" || { echo "FAIL eventlog uninstall"; fails=$((fails + 1)); }

((fails == 0)) || { echo "$fails whole-action check(s) failed"; exit 1; }
