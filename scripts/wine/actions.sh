#!/usr/bin/env bash
# Whole actions run by the Windows iiskit.exe under Wine (called by scripts/wine.sh, which
# sets WINEPREFIX, IISKIT_EXE and SYS32 and has put the stand-in IIS in place: services,
# the recording appcmd.exe, the configuration API and IIS 6 WMI script components).
# Wine keeps no event log, so events are read from --json on stdout. With WINE_VERSION=win7
# only the IIS 6 paths (FTP through the metabase) run, as iiskit takes them there.
set -euo pipefail

C="$WINEPREFIX/drive_c/iiskit"
INETSRV="$SYS32/inetsrv"
CALLS="$INETSRV/appcmd-calls.log"
fails=0
pass() { printf 'PASS %s\n' "$*"; }
fail() { printf 'FAIL %s\n' "$*"; fails=$((fails + 1)); }

# iis JSON: the stand-ins' state (sites, pools, SMTP and IIS 6 FTP servers, refusals).
iis() {
	printf '%s\n' "$1" >"$C/iis.json"
	rm -f "$C/iis-calls.log" "$CALLS"
}
HOSTILE='x\"; Remove-Item C:\\ -Recurse; \"'
w3_sites() { # one W3 site in state $1 (bound to the HTTP server below), one hostile-named
	iis '{"sites":[{"name":"Default Web Site","id":1,"state":"'"$1"'","bindings":[{"protocol":"http","bindingInformation":"127.0.4.1:18080:"}]},
	{"name":"'"$HOSTILE"'","id":2,"state":"Started","bindings":[{"protocol":"http","bindingInformation":"127.0.4.2:80:"}]},
	{"name":"Default FTP Site","id":3,"bindings":[{"protocol":"ftp","bindingInformation":"127.0.4.1:2121:"}],"ftpServer":{"state":"'"${2:-Started}"'"}}]}'
}

# expect NAME EXIT "ID ID ..." PROCESSES -- iiskit args: runs one action and checks its exit
# status, the IDs of its events in order, and how many appcmd processes it started.
expect() {
	local name=$1 want_exit=$2 want_ids=$3 want_procs=$4
	shift 5
	local out code=0
	out=$(wine "$IISKIT_EXE" "$@" --platform windows --json 2>"$C/stderr.txt") || code=$?
	# 137 is not an exit status of iiskit (0, 1, 2) but the process killed by SIGKILL,
	# which the wineserver itself sends now and then to a process that is exiting (seen
	# with strace on the wineserver; about 1 run in 150 on the Windows 7 prefix, rarer on
	# Windows 10; docs/windows.md); the run is repeated once, visibly, and a second 137
	# fails.
	if [[ $code == 137 ]]; then
		echo "RETRY $name: the Wine process was killed (exit 137); once more"
		code=0
		out=$(wine "$IISKIT_EXE" "$@" --platform windows --json 2>"$C/stderr.txt") || code=$?
	fi
	local ids
	ids=$(printf '%s\n' "$out" | { grep -o '"id":[0-9]*' || true; } | cut -d: -f2 | tr '\n' ' ' | sed 's/ $//')
	local procs=0
	[[ -f $CALLS ]] && procs=$(wc -l <"$CALLS")
	if [[ $code == "$want_exit" && $ids == "$want_ids" && ($want_procs == "-" || $procs == "$want_procs") ]]; then
		pass "$(printf '%-44s exit %s, events [%s], appcmd processes %s' "$name" "$code" "$ids" "$procs")"
	else
		fail "$(printf '%-44s exit %s (want %s), events [%s] (want [%s]), appcmd processes %s (want %s)' \
			"$name" "$code" "$want_exit" "$ids" "$want_ids" "$procs" "$want_procs")"
		printf '%s\n' "$out"
		cat "$C/stderr.txt"
	fi
	rm -f "$CALLS"
}
# called KIND NAME VERB: the stand-in logged that method call.
called() { grep -qF "[\"$3\",\"$1\",\"$2\"]" "$C/iis-calls.log" 2>/dev/null; }
stop_service() {
	wine sc stop "$1" >/dev/null 2>&1 || true
	for _ in $(seq 100); do wine sc query "$1" | grep -q STOPPED && return 0; sleep 0.1; done
	echo "service $1 did not stop"
	return 1
}

W3=(--tag iis-www1 --site "Default Web Site" --type W3 --retry-interval 50ms)
FTP=(--tag iis-ftp1 --site "Default FTP Site" --type FTP --retry-interval 50ms)
SMTP=(--tag iis-smtp1 --site "[SMTP Virtual Server #1]" --type SMTP --retry-interval 50ms)

if [[ ${WINE_VERSION:-win10} == win10 ]]; then
	# An HTTP server on loopback for deepcheck's probe of the W3 binding.
	python3 -m http.server 18080 --bind 127.0.4.1 --directory "$C" >/dev/null 2>&1 &
	HTTP_PID=$!
	trap 'kill $HTTP_PID 2>/dev/null || true' EXIT
	for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.4.1/18080) 2>/dev/null && break; sleep 0.1; done

	echo "--- W3 through the configuration API: no process on any check or action"
	ensure_running W3SVC
	w3_sites Stopped
	expect "W3 quickcheck, site stopped" 1 "9704" 0 -- quickcheck "${W3[@]}"
	expect "W3 restore" 0 "9407" 0 -- restore "${W3[@]}"
	called site "Default Web Site" Start && pass "restore ran the site's Start method" || fail "restore did not run Start"
	expect "W3 quickcheck, site started" 0 "" 0 -- quickcheck "${W3[@]}"
	expect "W3 deepcheck, site started" 0 "" 0 -- deepcheck "${W3[@]}" --probe-timeout 2s
	expect "W3 remove" 0 "9558" 0 -- remove "${W3[@]}"
	called site "Default Web Site" Stop && pass "remove ran the site's Stop method" || fail "remove did not run Stop"
	expect "W3 quickcheck after remove" 1 "9704" 0 -- quickcheck "${W3[@]}"
	expect "W3 recover (site stays stopped)" 1 "9606" 0 -- recover "${W3[@]}" --timeout 5s
	expect "W3 quickcheck, no such site" 1 "9707" 0 -- quickcheck --tag t2 --site "nope" --type W3
	expect "W3 restore, hostile name absent" 1 "9414 9408" 0 -- restore --tag t3 --site 'x"; Remove-Item C:\ -Recurse; "x' --type W3
	w3_sites Started
	expect "W3 remove, hostile-named site" 0 "9558" 0 -- remove --tag t4 --site 'x"; Remove-Item C:\ -Recurse; "' --type W3
	grep -q '"id":2,"state":"Stopped"' <(tr -d ' \n' <"$C/iis.json") && pass "the hostile-named site stopped by its id" \
		|| fail "hostile-named site not stopped"
	stop_service W3SVC
	expect "W3 quickcheck, W3SVC stopped" 1 "9705" 0 -- quickcheck "${W3[@]}"
	expect "W3 restore starts W3SVC, then the site" 0 "9407" 0 -- restore "${W3[@]}"

	echo "--- W3 failure paths"
	w3_sites Started
	iis "$(sed 's/^{/{"refuse":{"site:Default Web Site:state":{"hang":8000}},/' "$C/iis.json")"
	began=$(date +%s%N)
	expect "W3 quickcheck, state read hangs (1 s deadline)" 1 "9707" 0 -- quickcheck "${W3[@]}" --timeout 1s
	ms=$((($(date +%s%N) - began) / 1000000))
	((ms < 4000)) && pass "the hung check ended after ${ms} ms (Wine start-up included)" || fail "the hung check took ${ms} ms"
	w3_sites Started
	iis "$(sed 's/^{/{"refuse":{"GetAdminSection":{"hresult":2147942405}},/' "$C/iis.json")"
	expect "W3 quickcheck, access denied" 1 "9707" 0 -- quickcheck "${W3[@]}"
	grep -q 'administrator' "$C/stderr.txt" && pass "access denied says to run as an administrator" || fail "no word of elevation: $(cat "$C/stderr.txt")"
	w3_sites Stopped
	iis "$(sed 's/^{/{"refuse":{"site:Default Web Site:Start":{"hresult":2147942405}},/' "$C/iis.json")"
	expect "W3 restore, Start denied" 1 "9706 9408" 0 -- restore "${W3[@]}" --timeout 5s

	echo "--- the configuration API absent: appcmd is the fallback, then neither"
	wine regsvr32 /s /u 'C:\iiskit\ahadmin.wsc' scrobj.dll >/dev/null 2>&1 || true
	wine reg delete 'HKCR\Microsoft.ApplicationHost.AdminManager' /f >/dev/null 2>&1 || true
	cat >"$INETSRV/appcmd-state.json" <<'JSON'
{"sites":[{"name":"Default Web Site","id":1,"state":"Started","bindings":[{"protocol":"http","information":"127.0.4.1:18080:"}]}]}
JSON
	expect "W3 quickcheck through appcmd" 0 "" 1 -- quickcheck "${W3[@]}"
	grep -q 'appcmd' "$C/stderr.txt" && pass "the fallback is announced" || fail "no fallback warning"
	mv "$INETSRV/appcmd.exe" "$INETSRV/appcmd.exe.bak"
	expect "neither API nor appcmd: exit 2" 2 "" 0 -- quickcheck "${W3[@]}"
	grep -q 'appcmd' "$C/stderr.txt" && grep -q 'AdminManager' "$C/stderr.txt" && pass "the message names both" \
		|| fail "the message does not name both: $(cat "$C/stderr.txt")"
	mv "$INETSRV/appcmd.exe.bak" "$INETSRV/appcmd.exe"
	wine regsvr32 /s '/i:C:\iiskit\ahadmin.wsc' scrobj.dll >/dev/null 2>&1 || true

	echo "--- application pools (SPEC P) through the configuration API"
	ensure_running W3SVC
	iis '{"sites":[{"name":"Default Web Site","id":1,"state":"Started","bindings":[{"protocol":"http","bindingInformation":"127.0.4.1:18080:"}],"applications":[{"path":"/","applicationPool":""}]}],
	"applicationPools":[{"name":"DefaultAppPool","state":"Stopped"}]}'
	expect "W3 quickcheck, pool stopped" 1 "9820" 0 -- quickcheck "${W3[@]}"
	expect "W3 restore starts the pool" 0 "9407" 0 -- restore "${W3[@]}"
	called pool DefaultAppPool Start && pass "restore ran the pool's Start method" || fail "no pool Start"
	expect "W3 quickcheck, pool started" 0 "" 0 -- quickcheck "${W3[@]}"
	expect "W3 quickcheck, a named pool absent" 1 "9821" 0 -- quickcheck "${W3[@]}" --app-pool NoSuchPool

	echo "--- FTP (IIS 7.5+): the ftpServer element's state and methods"
	ensure_running W3SVC
	ensure_running FTPSVC
	w3_sites Started Stopped
	expect "FTP quickcheck, FTP site stopped" 1 "9704" 0 -- quickcheck "${FTP[@]}"
	expect "FTP restore" 0 "9407" 0 -- restore "${FTP[@]}"
	called ftp "Default FTP Site" Start && pass "restore ran ftpServer.Start" || fail "no ftpServer.Start"
	! grep -q '"state site","Default FTP Site"' "$C/iis-calls.log" && pass "no site-level state read of the FTP-only site" \
		|| fail "the FTP-only site's site-level state was read"
	expect "FTP quickcheck, started" 0 "" 0 -- quickcheck "${FTP[@]}"
	expect "FTP remove" 0 "9558" 0 -- remove "${FTP[@]}"
	stop_service FTPSVC
	expect "FTP quickcheck, FTPSVC stopped" 1 "9705" 0 -- quickcheck "${FTP[@]}"
	expect "FTP restore starts FTPSVC, then the site" 0 "9407" 0 -- restore "${FTP[@]}"
fi

echo "--- SMTP through the IIS 6 WMI provider and SMTPSVC"
ensure_running SMTPSVC
smtp='"smtp":[{"name":"SmtpSvc/1","serverComment":"[SMTP Virtual Server #1]","serverState":2,"serverBindings":[{"ip":"127.0.4.1","port":"2525","hostname":""}]}]'
iis "{\"sites\":[],$smtp}"
expect "SMTP quickcheck, running" 0 "" 0 -- quickcheck "${SMTP[@]}"
expect "SMTP remove (stops SMTPSVC)" 0 "9558" 0 -- remove "${SMTP[@]}"
expect "SMTP quickcheck, SMTPSVC stopped" 1 "9705" 0 -- quickcheck "${SMTP[@]}"
expect "SMTP restore (starts SMTPSVC)" 0 "9407" 0 -- restore "${SMTP[@]}"
iis "{\"refuse\":{\"wmi:ConnectServer\":{\"hresult\":2147749902}},\"sites\":[],$smtp}"
expect "SMTP quickcheck, IIS 6 WMI missing" 1 "9707" 0 -- quickcheck "${SMTP[@]}"
grep -q 'IIS 6 WMI Compatibility' "$C/stderr.txt" && pass "names IIS 6 WMI Compatibility" || fail "does not name the missing feature"

if [[ ${WINE_VERSION:-win10} == win7 ]]; then
	echo "--- IIS 6 FTP (Windows 7 / 2008 R2): MSFTPSVC through the metabase's WMI provider"
	ensure_running MSFTPSVC
	iis '{"sites":[],"ftp6":[{"name":"MSFTPSVC/1","serverComment":"Default FTP Site","serverState":4,"serverBindings":[{"ip":"","port":"21","hostname":""}]}]}'
	expect "IIS 6 FTP quickcheck, stopped" 1 "9704" 0 -- quickcheck "${FTP[@]}"
	expect "IIS 6 FTP restore" 0 "9407" 0 -- restore "${FTP[@]}"
	called IIsFtpServer MSFTPSVC/1 Start && pass "restore ran IIsFtpServer.Start" || fail "no IIsFtpServer.Start"
	expect "IIS 6 FTP quickcheck, started" 0 "" 0 -- quickcheck "${FTP[@]}"
	expect "IIS 6 FTP remove" 0 "9558" 0 -- remove "${FTP[@]}"
	called IIsFtpServer MSFTPSVC/1 Stop && pass "remove ran IIsFtpServer.Stop" || fail "no IIsFtpServer.Stop"
fi

if [[ ${WINE_VERSION:-win10} == win10 ]]; then
	echo "--- iiskit doctor against the stand-ins"
	ensure_running W3SVC
	ensure_running FTPSVC
	ensure_running SMTPSVC
	wine "$IISKIT_EXE" eventlog install >/dev/null
	w3_sites Started
	iis "$(sed "s|^{|{\"applicationPools\":[{\"name\":\"DefaultAppPool\",\"state\":\"Started\"}],$smtp,|" "$C/iis.json")"
	cat >"$INETSRV/appcmd-state.json" <<'JSON'
{"sites":[{"name":"Default Web Site","id":1,"state":"Started","bindings":[{"protocol":"http","information":"127.0.4.1:18080:"}]},
 {"name":"x\"; Remove-Item C:\\ -Recurse; \"","id":2,"state":"Started","bindings":[{"protocol":"http","information":"127.0.4.2:80:"}]},
 {"name":"Default FTP Site","id":3,"state":"Unknown","bindings":[{"protocol":"ftp","information":"127.0.4.1:2121:"}]}]}
JSON
	doctor_run() { # doctor_run WANT_EXIT NAME ARGS...: runs doctor and checks its exit status
		local want=$1 name=$2 code=0
		shift 2
		wine "$IISKIT_EXE" doctor "$@" >"$C/doctor.out" 2>"$C/stderr.txt" || code=$?
		if [[ $code == "$want" ]]; then pass "$(printf '%-44s exit %s' "$name" "$code")"; else
			fail "$(printf '%-44s exit %s (want %s)' "$name" "$code" "$want")"
			cat "$C/doctor.out" "$C/stderr.txt"
		fi
	}
	doctor_run 0 "doctor on a sound host" --tag iis-www1 --site "Default Web Site" --type W3
	grep -q 'compare W3 readings: 2 sites, the same names and states through configuration API and appcmd' "$C/doctor.out" \
		&& pass "doctor compared the API and appcmd" || fail "no comparison: $(cat "$C/doctor.out")"
	doctor_run 0 "doctor --json" --json
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert set(r)=={"host","checks","sites","pools"}; assert all(set(c)=={"name","ok","detail","ms"} for c in r["checks"])' "$C/doctor.out" \
		&& pass "doctor --json has CLI.md's shape" || fail "doctor --json shape"
	sed -i 's/"id":1,"state":"Started"/"id":1,"state":"Stopped"/' "$INETSRV/appcmd-state.json"
	doctor_run 1 "doctor, appcmd disagrees (planted)"
	grep -q 'FAIL compare W3 readings: they differ: "Default Web Site": configuration API Started, appcmd Stopped' "$C/doctor.out" \
		&& pass "the difference is named" || fail "difference not named: $(cat "$C/doctor.out")"
	doctor_run 2 "doctor, bad input" --type W3
	cp "$C/iis.json" "$C/before.json"
	doctor_run 1 "doctor --exercise (no web server under Wine)" --exercise
	# Everything but the deep check passes: nothing serves the throwaway site's port here.
	if [[ $(grep -c '^FAIL' "$C/doctor.out") == 2 ]] && grep -q '^FAIL exercise: deepcheck: exit 1, events \[9757\]' "$C/doctor.out" \
		&& grep -q '^ok   exercise: restore: exit 0, events \[9407\]' "$C/doctor.out" \
		&& grep -q '^ok   exercise: quickcheck: exit 1, events \[9820\]' "$C/doctor.out" \
		&& grep -q '^ok   exercise: recover: exit 0, events \[\]' "$C/doctor.out" \
		&& grep -q '^ok   exercise: remove: exit 0, events \[9558\]' "$C/doctor.out" \
		&& grep -q '^ok   exercise: nothing left behind' "$C/doctor.out"; then
		pass "exercise: restore, quickcheck, a pool fault (9820) and its recovery, remove, delete passed"
	else
		fail "exercise: $(grep -E '^(FAIL|ok   exercise)' "$C/doctor.out")"
	fi
	python3 -c 'import json,sys; a,b=(json.load(open(p)) for p in sys.argv[1:]); sys.exit(a!=b)' "$C/before.json" "$C/iis.json" \
		&& pass "exercise left the configuration exactly as it was" || fail "the configuration changed: $(diff "$C/before.json" "$C/iis.json")"
	grep -q '"CommitChanges"' "$C/iis-calls.log" && pass "exercise committed through the WritableAdminManager" || fail "no CommitChanges"
fi

if [[ ${WINE_VERSION:-win10} == win10 ]]; then
	out=$(wine "$IISKIT_EXE" eventlog install) && pass "eventlog install: $out" || fail "eventlog install"
	out=$(wine "$IISKIT_EXE" eventlog install) && pass "eventlog install again: $out" || fail "eventlog install (again)"
	out=$(wine "$IISKIT_EXE" eventlog uninstall) && pass "eventlog uninstall: $out" || fail "eventlog uninstall"
fi

((fails == 0)) || { echo "$fails whole-action check(s) failed"; exit 1; }
