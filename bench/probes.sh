#!/usr/bin/env bash
# probes.sh [--out FILE] [--runs N] [--json FILE]: in one run, on the same nginx, the wall
# time of each health check a cluster manager could run against one web site, each as a
# whole process (process start included), measured with hyperfine:
#
#   iiskit pollsite W3 IP PORT          the original's probe alone
#   iiskit deepcheck ... --platform lab  quickcheck + an HTTP request to every binding
#   iiskit quickcheck ... --platform lab service and site state only (no probe)
#   iiskit version                      for reference: the cost of starting the binary
#   curl -s -o /dev/null http://IP:PORT/
#   Pacemaker's nginx agent `monitor` at OCF_CHECK_LEVEL 0, 10 and 20
#
# The site is a lab host's ("iiskit lab serve"): the lab reports it Started with a binding
# on IP:PORT, but its own listener is closed ("respond refuse") so that nginx, started here
# on that IP:PORT, answers every probe. deepcheck and pollsite therefore talk to the same
# nginx as curl and the agent.
#
# Runs as root on Debian 12; installs what is missing (nginx curl hyperfine resource-agents
# libxml2-utils) and needs Go to build iiskit. Everything it starts lives under a temp
# folder and is stopped on exit; apart from installing packages it listens and connects on
# loopback only (127.0.0.6, a high port, and the lab's control API on 127.0.0.1). Every wait
# is bounded.
#
#   --out FILE   also write the table as Markdown to FILE
#   --runs N     hyperfine runs per command (default 50)
#   --json FILE  also copy hyperfine's JSON export to FILE
set -euo pipefail

IP=127.0.0.6
RUNS=50
WARMUP=3
OUT=
JSON_OUT=
SITE='Default Web Site'
TAG=t
AGENT=/usr/lib/ocf/resource.d/heartbeat/nginx
BODY='iiskit bench page'
WAIT_TRIES=100 # of 0.1 s each

die() { echo "probes.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
	case $1 in
	--out) [ $# -ge 2 ] || die "--out needs a file"; OUT=$2; shift 2 ;;
	--out=*) OUT=${1#--out=}; shift ;;
	--runs) [ $# -ge 2 ] || die "--runs needs a number"; RUNS=$2; shift 2 ;;
	--runs=*) RUNS=${1#--runs=}; shift ;;
	--json) [ $# -ge 2 ] || die "--json needs a file"; JSON_OUT=$2; shift 2 ;;
	--json=*) JSON_OUT=${1#--json=}; shift ;;
	-h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
	*) die "unknown argument $1 (usage: probes.sh [--out FILE] [--runs N] [--json FILE])" ;;
	esac
done
case $RUNS in '' | *[!0-9]*) die "--runs wants a positive number" ;; esac
[ "$RUNS" -ge 2 ] || die "--runs wants at least 2"
# Resolve output paths before changing folder.
if [ -n "$OUT" ]; then case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac; fi
if [ -n "$JSON_OUT" ]; then case $JSON_OUT in /*) ;; *) JSON_OUT=$PWD/$JSON_OUT ;; esac; fi

cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || die "run as root (it installs Debian packages and starts nginx)"

# --- packages -------------------------------------------------------------------------
install_missing() {
	local missing=()
	[ -x /usr/sbin/nginx ] || missing+=(nginx)
	command -v curl >/dev/null 2>&1 || missing+=(curl)
	command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
	[ -x "$AGENT" ] || missing+=(resource-agents)
	command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "probes.sh: installing ${missing[*]}" >&2
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
install_missing
command -v go >/dev/null 2>&1 || die "go is not on PATH (needed to build iiskit)"

# --- clean-up -------------------------------------------------------------------------
work=$(mktemp -d /tmp/iiskit-probes.XXXXXX)
lab_pid=
nginx_pid=
hf_pid=

# alive PID: the process exists and is not a zombie.
alive() {
	local state
	state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$state" ] && [ "$state" != Z ]
}

# stop_pid PID: TERM, then at most 5 s, then KILL.
stop_pid() {
	local pid=$1 i
	[ -n "$pid" ] && alive "$pid" || return 0
	kill "$pid" 2>/dev/null || return 0
	for i in $(seq 1 50); do
		alive "$pid" || return 0
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	# hyperfine, nginx's master (its workers follow it), then the lab host: all children here.
	local pid
	for pid in "$hf_pid" "$nginx_pid" "$lab_pid"; do
		[ -n "$pid" ] || continue
		stop_pid "$pid"
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$work"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# listening IP PORT: something accepts connections there.
listening() { timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

free_port() {
	local p i
	for i in $(seq 1 50); do
		p=$((40000 + RANDOM % 20000))
		if ! listening "$IP" "$p"; then echo "$p"; return 0; fi
	done
	die "no free port on $IP"
}

# --- iiskit and the lab host ----------------------------------------------------------
echo "probes.sh: building iiskit" >&2
go build -o "$work/iiskit" ./cmd/iiskit
IISKIT=$work/iiskit
PORT=$(free_port)
mkdir -p "$work/locks"
export IISKIT_LOCK_DIR=$work/locks

cat >"$work/applicationHost.config" <<XML
<configuration><system.applicationHost><sites>
<site name="$SITE" id="1"><bindings><binding protocol="http" bindingInformation="$IP:$PORT:" /></bindings></site>
</sites></system.applicationHost></configuration>
XML
"$IISKIT" lab serve --listen 127.0.0.1:0 --config "$work/applicationHost.config" \
	</dev/null >"$work/lab.out" 2>&1 &
lab_pid=$!
LAB=
for _ in $(seq 1 "$WAIT_TRIES"); do
	LAB=$(sed -n 's/^iiskit lab host listening on //p' "$work/lab.out")
	[ -n "$LAB" ] && break
	alive "$lab_pid" || break
	sleep 0.1
done
[ -n "$LAB" ] || die "the lab host did not start: $(tail -3 "$work/lab.out")"

# The lab closes its listener on IP:PORT but keeps reporting the site Started.
"$IISKIT" lab site "$SITE" respond refuse --lab "$LAB" >/dev/null
for i in $(seq 1 "$WAIT_TRIES"); do
	listening "$IP" "$PORT" || break
	[ "$i" -lt "$WAIT_TRIES" ] || die "the lab still listens on $IP:$PORT after respond refuse"
	sleep 0.1
done

# --- nginx ----------------------------------------------------------------------------
ngx=$work/nginx
mkdir -p "$ngx/temp"
cat >"$ngx/nginx.conf" <<EOF
worker_processes 1;
pid $ngx/nginx.pid;
error_log $ngx/error.log;
events { worker_connections 64; }
http {
	access_log $ngx/access.log;
	client_body_temp_path $ngx/temp/body;
	proxy_temp_path $ngx/temp/proxy;
	fastcgi_temp_path $ngx/temp/fastcgi;
	uwsgi_temp_path $ngx/temp/uwsgi;
	scgi_temp_path $ngx/temp/scgi;
	default_type text/plain;
	server {
		listen $IP:$PORT;
		location = /nginx_status { stub_status; }
		location / { return 200 "$BODY\n"; }
	}
}
EOF
/usr/sbin/nginx -t -e "$ngx/error.log" -p "$ngx/" -c "$ngx/nginx.conf" >"$ngx/test.log" 2>&1 ||
	die "nginx -t failed: $(tail -3 "$ngx/test.log")"
# In the foreground, as this script's child, so that it is stopped and reaped here.
/usr/sbin/nginx -g 'daemon off;' -e "$ngx/error.log" -p "$ngx/" -c "$ngx/nginx.conf" \
	</dev/null >"$ngx/start.log" 2>&1 &
nginx_pid=$!
for i in $(seq 1 "$WAIT_TRIES"); do
	alive "$nginx_pid" || die "nginx did not start: $(tail -3 "$ngx/start.log" "$ngx/error.log" 2>/dev/null)"
	[ -s "$ngx/nginx.pid" ] && listening "$IP" "$PORT" && break
	[ "$i" -lt "$WAIT_TRIES" ] || die "nginx did not answer on $IP:$PORT; see $ngx/error.log"
	sleep 0.1
done
[ "$(cat "$ngx/nginx.pid")" = "$nginx_pid" ] || die "nginx's pid file does not name the nginx started here"
got=$(curl -s --max-time 5 "http://$IP:$PORT/") || die "curl of nginx failed"
[ "$got" = "$BODY" ] || die "something other than our nginx answers on $IP:$PORT: $got"

# --- the commands ---------------------------------------------------------------------
labflags=(--tag "$TAG" --site "$SITE" --type W3 --platform lab --lab "$LAB")
agent_env=(OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=x OCF_RESKEY_httpd=/usr/sbin/nginx
	"OCF_RESKEY_configfile=$ngx/nginx.conf" "OCF_RESKEY_status10url=http://$IP:$PORT/nginx_status"
	"OCF_RESKEY_test20url=http://$IP:$PORT/" "OCF_RESKEY_test20regex=$BODY" HA_LOGFACILITY=none)

# Each command must succeed once before it is timed (hyperfine would stop on a failure,
# but a clear message is better).
check() {
	local name=$1 out rc
	shift
	out=$("$@" 2>&1) && return 0
	rc=$?
	die "$name exited $rc before timing: $out"
}
check "iiskit pollsite" "$IISKIT" pollsite W3 "$IP" "$PORT"
check "iiskit deepcheck" "$IISKIT" deepcheck "${labflags[@]}"
check "iiskit quickcheck" "$IISKIT" quickcheck "${labflags[@]}"
check curl curl -s -o /dev/null --fail "http://$IP:$PORT/"
for level in 0 10 20; do
	check "nginx agent monitor (level $level)" env "${agent_env[@]}" OCF_CHECK_LEVEL=$level "$AGENT" monitor
done
# pollsite and deepcheck must really talk to nginx: each adds a line to its access log.
reaches_nginx() {
	local name=$1 before after
	shift
	before=$(wc -l <"$ngx/access.log")
	"$@" >/dev/null 2>&1 || die "$name failed"
	after=$(wc -l <"$ngx/access.log")
	[ "$after" -gt "$before" ] || die "$name did not reach nginx (no new access-log line)"
}
reaches_nginx "iiskit pollsite" "$IISKIT" pollsite W3 "$IP" "$PORT"
reaches_nginx "iiskit deepcheck" "$IISKIT" deepcheck "${labflags[@]}"

# hyperfine -N splits each command like a shell (quotes work) and runs it without one.
# Tiny wrapper scripts for the agent keep hyperfine's command lines short and readable.
for level in 0 10 20; do
	{
		echo '#!/bin/sh'
		printf 'exec env'
		printf " '%s'" "${agent_env[@]}" "OCF_CHECK_LEVEL=$level"
		printf " %s monitor\n" "$AGENT"
	} >"$work/agent$level.sh"
	chmod 755 "$work/agent$level.sh"
done
q() { printf "'%s'" "$1"; } # the values here hold no single quote
lab_args="--tag $TAG --site $(q "$SITE") --type W3 --platform lab --lab $LAB"
names=(
	"iiskit pollsite"
	"iiskit deepcheck"
	"iiskit quickcheck"
	"iiskit version (process start only)"
	"curl"
	"nginx agent monitor level 0"
	"nginx agent monitor level 10"
	"nginx agent monitor level 20"
)
cmds=(
	"$IISKIT pollsite W3 $IP $PORT"
	"$IISKIT deepcheck $lab_args"
	"$IISKIT quickcheck $lab_args"
	"$IISKIT version"
	"curl -s -o /dev/null http://$IP:$PORT/"
	"$work/agent0.sh"
	"$work/agent10.sh"
	"$work/agent20.sh"
)
hf=()
for i in "${!cmds[@]}"; do hf+=(-n "${names[$i]}" "${cmds[$i]}"); done

echo "probes.sh: nginx on $IP:$PORT, lab host at $LAB; $RUNS runs per command (warmup $WARMUP)" >&2
# In the background and waited for, so that a TERM to this script is handled at once.
hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --style basic \
	--export-json "$work/probes.json" --export-csv "$work/probes.csv" "${hf[@]}" \
	</dev/null >"$work/hyperfine.out" 2>&1 &
hf_pid=$!
wait "$hf_pid" || die "hyperfine failed: $(tail -5 "$work/hyperfine.out")"
hf_pid=
[ -z "$JSON_OUT" ] || cp "$work/probes.json" "$JSON_OUT"

# --- the table ------------------------------------------------------------------------
# hyperfine's CSV: command,mean,stddev,median,user,system,min,max (seconds). The names
# above hold no comma, so fields are counted from the right.
table=$(awk -F, 'NR > 1 {
		name[++n] = $1; med[n] = $(NF-4) * 1000; mn[n] = $(NF-1) * 1000; mx[n] = $NF * 1000
		if ($1 == "iiskit pollsite") p = med[n]
		if ($1 == "iiskit deepcheck") d = med[n]
	}
	END {
		printf "| command | median ms | min ms | max ms | median / pollsite | median / deepcheck |\n"
		printf "|---|---:|---:|---:|---:|---:|\n"
		for (i = 1; i <= n; i++)
			printf "| %s | %.1f | %.1f | %.1f | %.2f | %.2f |\n", name[i], med[i], mn[i], mx[i], med[i] / p, med[i] / d
	}' "$work/probes.csv")

nginx_v=$(/usr/sbin/nginx -v 2>&1 | sed 's/^nginx version: //')
header="$RUNS runs per command (warmup $WARMUP), hyperfine -N, $(nproc) CPUs, $nginx_v on $IP:$PORT, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "$header"
echo
echo "$table" | awk -F'|' 'NR != 2 {
	for (i = 2; i <= 7; i++) gsub(/^ +| +$/, "", $i)
	printf "%-30s %9s %7s %7s %17s %18s\n", $2, $3, $4, $5, $6, $7
}'
if [ -n "$OUT" ]; then
	{ echo "$header"; echo; echo "$table"; } >"$OUT"
	echo "probes.sh: wrote $OUT" >&2
fi
