#!/usr/bin/env bash
# cluster.sh: iiskit's OCF agent (ocf:iiskit:iis) in a real two-node Pacemaker + Corosync
# cluster on this machine, against Pacemaker's own nginx agent as the anchor.
#
# The agent alone: meta-data valid against ra-api-1.dtd (xmllint), ocf-tester, on a lab
# host on loopback. Then a cluster: two nodes, each a network namespace (plus its own UTS
# and mount namespaces) with corosync, pacemaker and its own `iiskit lab serve`, joined
# with a client namespace by a bridge (10.99.0.0/24, only inside the namespaces made
# here). Each lab holds the site www1 bound to the floating IP 10.99.0.100, which only the
# active node holds. Resources: group g_iis = IPaddr2 10.99.0.100 + ocf:iiskit:iis
# (monitors at OCF_CHECK_LEVEL 0 and 10); group g_nginx = IPaddr2 10.99.0.101 + the
# nginx agent protecting a real nginx, colocated with g_iis so one node kill times both.
#
# Scenarios, each timed: (1) the groups start, the site answers on the floating IP from
# the passive node, the labs show Started / Stopped; (2) a site fault: monitor detects
# it, the site serves again; (2b) the site's application pool stops (an administrator's
# stop, then rapid-fail protection after five worker crashes): the site answers 503, the
# monitor fails naming the pool (9820), Pacemaker restarts the resource in place and its
# start (restore) starts the pool: HTTP 200 again; a pool that does not start moves the
# group, and the in-place check must say so; (3) switch-over; (3b) a fault only the
# depth 10 monitor sees, which a restart does not cure: moved at migration-threshold; (4)
# hard node failure (link cut, every process of the node SIGKILLed): the survivor serves,
# the node is rebuilt; (5) a node whose lab refuses to start the site: the cluster places
# it on the other node and does not retry the failed node. Medians of 5 for (2), (2b)
# each kind, (3), (4). Figures go to a file printed at the end ($CLUSTER_FIGURES,
# default /var/tmp/iiskit-cluster-figures-TIME.txt).
#
# Needs root and network namespaces; installs its Debian packages. Without namespace
# permission it fails when CI is set and says loudly that it skipped otherwise.
# Everything it made (namespaces, processes, mounts, files) goes away on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ROUNDS=${CLUSTER_ROUNDS:-5}
PKGS=(pacemaker corosync pacemaker-cli-utils crmsh resource-agents libxml2-utils nginx iproute2 curl)

say() { printf '[%s] %s\n' "$(date +%T)" "$*"; }
die() { echo "cluster.sh: FAILED: $*" >&2; exit 1; }

# --- preconditions ---------------------------------------------------------------------
skip_or_fail() {
	if [ -n "${CI:-}" ]; then die "$*"; fi
	echo "cluster.sh: SKIPPED (not a failure outside CI): $*" >&2
	exit 0
}
[ "$(id -u)" -eq 0 ] || skip_or_fail "needs root (network namespaces, mounts, corosync)"
missing=()
for c in corosync pacemakerd crm crm_resource ocf-tester xmllint nginx ip curl; do
	command -v "$c" >/dev/null 2>&1 || missing+=("$c")
done
[ -x /usr/lib/ocf/resource.d/heartbeat/IPaddr2 ] || missing+=(IPaddr2)
if [ ${#missing[@]} -gt 0 ]; then
	say "installing packages (missing: ${missing[*]})"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null
fi
probe_ns="ikprobe$$"
ip netns add "$probe_ns" 2>/dev/null || skip_or_fail "cannot create a network namespace (ip netns add)"
ip netns del "$probe_ns"

# --- work folder, cleanup -----------------------------------------------------------------
# Not under /tmp: every node mounts its own /tmp.
W=$(mktemp -d /var/tmp/iiskit-cluster.XXXXXX)
chmod 755 "$W"
FIGURES=${CLUSTER_FIGURES:-/var/tmp/iiskit-cluster-figures-$(date -u +%Y%m%dT%H%M%SZ).txt}
P="ikc$$" # namespace prefix: unique to this run
NS_C=$P-c
NODES=(node1 node2)
declare -A NS=([node1]=$P-n1 [node2]=$P-n2) ADDR=([node1]=10.99.0.1 [node2]=10.99.0.2)
VIP=10.99.0.100 VIP2=10.99.0.101
KEEP=${CLUSTER_KEEP:-} # set to keep the work folder for a post-mortem

kill_ns() { # kill_ns NS: SIGKILL every process in the namespace, wait until none is left
	local pids i
	for i in $(seq 1 50); do
		pids=$(ip netns pids "$1" 2>/dev/null || true)
		[ -z "$pids" ] && return 0
		# shellcheck disable=SC2086 # one pid per word
		kill -9 $pids 2>/dev/null || true
		sleep 0.1
	done
	echo "cluster.sh: processes left in $1: $pids" >&2
}
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	# The pollers of (4), if a round failed while one still ran: they live outside the
	# namespaces, so kill_ns does not reach them.
	# shellcheck disable=SC2046 # one pid per word
	kill $(jobs -p) 2>/dev/null || true
	for ns in "${NS[@]}" "$NS_C" "$P-ocft"; do
		if ip netns list | grep -qw "$ns"; then
			kill_ns "$ns"
			ip netns del "$ns" 2>/dev/null || true
		fi
	done
	if [ $rc -ne 0 ]; then
		echo "cluster.sh: failed (exit $rc); last lines of the node logs:" >&2
		for n in "${NODES[@]}"; do
			tail -n 30 "$W/$n/log-pacemaker/pacemaker.log" 2>/dev/null | sed "s/^/$n: /" >&2 || true
		done
	fi
	if [ -n "$KEEP" ]; then echo "cluster.sh: kept $W" >&2; else rm -rf "$W"; fi
	exit $rc
}
# An interrupted run exits non-zero (then cleans up through the EXIT trap): a cleanup
# entered straight from INT or TERM would exit with the status of whatever ran last.
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# wait_until SECONDS DESCRIPTION COMMAND...: poll every 0.1 s until COMMAND succeeds.
wait_until() {
	local limit=$1 what=$2 end
	shift 2
	end=$(($(now_ms) + limit * 1000))
	until "$@" >/dev/null 2>&1; do
		[ "$(now_ms)" -lt "$end" ] || die "timed out after ${limit}s waiting for $what"
		sleep 0.1
	done
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
seconds() { awk -v ms="$1" 'BEGIN {printf "%.2f", ms/1000}'; }

# --- build --------------------------------------------------------------------------------
say "building iiskit"
BIN=$W/bin/iiskit
mkdir -p "$W/bin"
go build -o "$BIN" ./cmd/iiskit
chmod 755 "$W/bin" "$BIN"

# --- the agent alone: meta-data, ocf-tester -----------------------------------------------
say "agent: meta-data against ra-api-1.dtd, ocf-tester"
"$BIN" ocf meta-data >"$W/iis.xml"
xmllint --noout --dtdvalid /usr/share/resource-agents/ra-api-1.dtd "$W/iis.xml" 2>"$W/xmllint.log" ||
	{ cat "$W/xmllint.log" >&2; die "meta-data is not valid against ra-api-1.dtd"; }
mkdir -p "$W/ocft/rd"
"$BIN" ocf install --dir "$W/ocft/rd" >/dev/null
[ "$(stat -c %a "$W/ocft/rd/iiskit/iis")" = 755 ] || die "the installed agent is not mode 755"
# A lab host on loopback in its own namespace: a fixed port is then nobody else's.
ip netns add "$P-ocft"
ip -n "$P-ocft" link set lo up
cat >"$W/ocft/ahc.config" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<configuration><system.applicationHost>
<applicationPools><add name="DefaultAppPool" /></applicationPools>
<sites>
<site name="www1" id="1"><application path="/" applicationPool="DefaultAppPool" /><bindings><binding protocol="http" bindingInformation="127.0.0.1:8080:" /></bindings></site>
</sites></system.applicationHost></configuration>
XML
ip netns exec "$P-ocft" "$BIN" lab serve --config "$W/ocft/ahc.config" --hostname OCFT >"$W/ocft/lab.log" 2>&1 &
disown
wait_until 10 "the ocf-tester lab host" ip netns exec "$P-ocft" "$BIN" lab status
# Its own lock folder, so nothing else running here shares a lock with it.
ip netns exec "$P-ocft" env IISKIT_LOCK_DIR="$W/ocft/locks" ocf-tester -n iis-ocft \
	-o site=www1 -o type=W3 -o retry_interval=100ms "$W/ocft/rd/iiskit/iis" >"$W/ocft/ocf-tester.log" 2>&1 ||
	{ cat "$W/ocft/ocf-tester.log" >&2; die "ocf-tester"; }
grep -q "passed all tests" "$W/ocft/ocf-tester.log" || { cat "$W/ocft/ocf-tester.log" >&2; die "ocf-tester did not pass"; }
# The depth 0 monitor on a started site whose pool is stopped: 1 (not 7: the site is
# started, not serving), the pool named in the exit reason and in event 9820; then start
# (restore) starts the pool and the site answers 200 again.
ocft_agent() { # ocft_agent ACTION [VAR=VALUE...]: the installed agent against the loopback lab
	local a=$1
	shift
	ip netns exec "$P-ocft" env IISKIT_LOCK_DIR="$W/ocft/locks" OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=iis-ocft \
		OCF_RESKEY_site=www1 OCF_RESKEY_type=W3 OCF_RESKEY_retry_interval=100ms "$@" "$W/ocft/rd/iiskit/iis" "$a"
}
ocft_code() { ip netns exec "$P-ocft" curl -s -o /dev/null -m 2 -w '%{http_code}' http://127.0.0.1:8080/ || true; }
# ocf-tester may leave the site stopped.
ocft_agent start 2>"$W/ocft/start.log" || { cat "$W/ocft/start.log" >&2; die "start after ocf-tester"; }
[ "$(ocft_code)" = 200 ] || die "the loopback lab's site answers $(ocft_code) after start, want 200"
ip netns exec "$P-ocft" "$BIN" lab pool DefaultAppPool state Stopped >/dev/null
[ "$(ocft_code)" = 503 ] || die "the loopback lab's site answers $(ocft_code) with its pool stopped, want 503"
rc=0
ocft_agent monitor OCF_CHECK_LEVEL=0 2>"$W/ocft/monitor-pool.log" || rc=$?
[ $rc -eq 1 ] || { cat "$W/ocft/monitor-pool.log" >&2; die "monitor (depth 0) with the pool stopped returned $rc, want 1"; }
grep -q '^Error 9820: .*"DefaultAppPool"' "$W/ocft/monitor-pool.log" || { cat "$W/ocft/monitor-pool.log" >&2; die "monitor (depth 0) with the pool stopped did not write 9820 naming the pool"; }
[ "$(grep -c '^ocf-exit-reason:' "$W/ocft/monitor-pool.log")" = 1 ] && grep -q '^ocf-exit-reason:.*"DefaultAppPool"' "$W/ocft/monitor-pool.log" ||
	{ cat "$W/ocft/monitor-pool.log" >&2; die "monitor (depth 0) with the pool stopped: want one ocf-exit-reason line naming the pool"; }
ocft_agent start 2>"$W/ocft/start-pool.log" || { cat "$W/ocft/start-pool.log" >&2; die "start did not bring the pool back"; }
[ "$(ocft_code)" = 200 ] || die "after start, the loopback lab's site answers $(ocft_code), want 200"
kill_ns "$P-ocft"
ip netns del "$P-ocft"
say "agent: meta-data DTD-valid, ocf-tester passed; a stopped pool: monitor 1 with 9820, start restores it"

# --- the network ----------------------------------------------------------------------------
ip netns add "$NS_C"
ip -n "$NS_C" link set lo up
ip -n "$NS_C" link add br0 type bridge
ip -n "$NS_C" addr add 10.99.0.254/24 dev br0
ip -n "$NS_C" link set br0 up
i=0
for n in "${NODES[@]}"; do
	i=$((i + 1))
	ip netns add "${NS[$n]}"
	ip -n "${NS[$n]}" link set lo up
	ip link add name eth0 netns "${NS[$n]}" type veth peer name "p$i" netns "$NS_C"
	ip -n "$NS_C" link set "p$i" master br0 up
done
net_up() { # net_up NODE: the node's link up with only its own address (no floating IP)
	ip -n "${NS[$1]}" addr flush dev eth0
	ip -n "${NS[$1]}" addr add "${ADDR[$1]}/24" dev eth0
	ip -n "${NS[$1]}" link set eth0 up
}

# --- the nodes --------------------------------------------------------------------------------
mkdir -p "$W/common"
for n in "${NODES[@]}"; do
	d=$W/$n
	mkdir -p "$d"/{etc-corosync,var-lib-corosync,log-corosync,log-pacemaker,tmp,resource.d,nginx}
	mkdir -p "$d"/var-lib-pacemaker/{cib,pengine,blackbox,cores}
	# A first CIB with the cluster options, so that the first DC election already waits
	# only dc-deadtime=2s instead of the default 20 s.
	cat >"$d/var-lib-pacemaker/cib/cib.xml" <<'XML'
<cib validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="cib-bootstrap-options-stonith-enabled" name="stonith-enabled" value="false"/>
        <nvpair id="cib-bootstrap-options-no-quorum-policy" name="no-quorum-policy" value="ignore"/>
        <nvpair id="cib-bootstrap-options-dc-deadtime" name="dc-deadtime" value="2s"/>
      </cluster_property_set>
    </crm_config>
    <nodes/>
    <resources/>
    <constraints/>
  </configuration>
  <status/>
</cib>
XML
	chmod 600 "$d/var-lib-pacemaker/cib/cib.xml"
	chown -R hacluster:haclient "$d/var-lib-pacemaker" "$d/log-pacemaker"
	chmod 1777 "$d/tmp"
	cp -a /usr/lib/ocf/resource.d/heartbeat /usr/lib/ocf/resource.d/pacemaker "$d/resource.d/"
	"$BIN" ocf install --dir "$d/resource.d" >/dev/null
	cat >"$d/etc-corosync/corosync.conf" <<CONF
totem {
	version: 2
	cluster_name: iiskit
	transport: knet
	crypto_cipher: none
	crypto_hash: none
	token: 1000
}
nodelist {
	node {
		ring0_addr: ${ADDR[node1]}
		name: node1
		nodeid: 1
	}
	node {
		ring0_addr: ${ADDR[node2]}
		name: node2
		nodeid: 2
	}
}
quorum {
	provider: corosync_votequorum
	two_node: 1
}
logging {
	to_logfile: yes
	logfile: /var/log/corosync/corosync.log
	to_syslog: no
	to_stderr: no
	timestamp: hires
}
CONF
	# The lab host of this node: the site on the floating IP (Stopped until the address
	# arrives), its root application in DefaultAppPool (Started), W3SVC running.
	cat >"$d/applicationHost.config" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<configuration><system.applicationHost>
<applicationPools><add name="DefaultAppPool" /></applicationPools>
<sites>
<site name="www1" id="1"><application path="/" applicationPool="DefaultAppPool" /><bindings><binding protocol="http" bindingInformation="$VIP:80:" /></bindings></site>
</sites></system.applicationHost></configuration>
XML
	cat >"$d/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $d/nginx/nginx.pid;
error_log $d/nginx/error.log;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path $d/nginx/body;
	proxy_temp_path $d/nginx/proxy;
	fastcgi_temp_path $d/nginx/fastcgi;
	uwsgi_temp_path $d/nginx/uwsgi;
	scgi_temp_path $d/nginx/scgi;
	server { listen $VIP2:80; location / { return 200 "nginx\n"; } }
}
CONF
	net_up "$n"
done

declare -A HOLDER
in_node() { local n=$1; shift; nsenter -t "${HOLDER[$n]}" -m -u -n -- "$@"; }
lab() { local n=$1; shift; ip netns exec "${NS[$n]}" "$BIN" lab "$@"; }

node_start() { # node_start NODE: holder, lab host, corosync, pacemaker
	local n=$1 d=$W/$1
	rm -f "$d/holder.ready"
	ip netns exec "${NS[$n]}" setsid unshare --uts --mount --propagation private \
		bash "$ROOT/scripts/cluster/holder.sh" "$n" "$d" </dev/null >"$d/holder.log" 2>&1 &
	disown
	wait_until 10 "$n's holder" test -s "$d/holder.ready"
	HOLDER[$n]=$(cat "$d/holder.ready")
	ip netns exec "${NS[$n]}" setsid "$BIN" lab serve --config "$d/applicationHost.config" --hostname "$n" \
		</dev/null >>"$d/lab.log" 2>&1 &
	disown
	wait_until 10 "$n's lab host" lab "$n" status
	in_node "$n" setsid corosync -f </dev/null >>"$d/corosync.out" 2>&1 &
	disown
	in_node "$n" setsid pacemakerd -f </dev/null >>"$d/pacemakerd.out" 2>&1 &
	disown
}
online() { # online NODE: both nodes are online as NODE sees the cluster
	in_node "$1" crm_mon -1 2>/dev/null | grep -Eq "Online: \[ node1 node2 \]"
}

say "starting two nodes"
t0=$(now_ms)
node_start node1
node_start node2
wait_until 60 "both nodes online" online node1
say "both nodes online in $(seconds $(($(now_ms) - t0))) s"

# --- the resources -------------------------------------------------------------------------
cat >"$W/common/cib.crm" <<CRM
property stonith-enabled=false no-quorum-policy=ignore dc-deadtime=2s start-failure-is-fatal=true
rsc_defaults resource-stickiness=100 migration-threshold=3
primitive vip ocf:heartbeat:IPaddr2 params ip=$VIP cidr_netmask=24 nic=eth0 op monitor interval=2s timeout=10s
primitive iis ocf:iiskit:iis params site=www1 type=W3 retry_interval=100ms \
	op start timeout=20s interval=0 op stop timeout=20s interval=0 \
	op monitor interval=1s timeout=10s \
	op monitor interval=3s timeout=15s OCF_CHECK_LEVEL=10
group g_iis vip iis
primitive vip2 ocf:heartbeat:IPaddr2 params ip=$VIP2 cidr_netmask=24 nic=eth0 op monitor interval=2s timeout=10s
CRM
# The nginx agent reads its config path from a parameter: the same path on both nodes, a
# symlink in each node's own /tmp to the node's file.
cat >>"$W/common/cib.crm" <<CRM
primitive web ocf:heartbeat:nginx params configfile=/tmp/nginx.conf httpd=/usr/sbin/nginx \
	op start timeout=20s interval=0 op stop timeout=20s interval=0 op monitor interval=1s timeout=10s
group g_nginx vip2 web
colocation nginx_with_iis inf: g_nginx g_iis
CRM
for n in "${NODES[@]}"; do ln -sf "$W/$n/nginx/nginx.conf" "$W/$n/tmp/nginx.conf"; done
in_node node1 crm configure load update "$W/common/cib.crm" >"$W/common/crm-load.log" 2>&1 ||
	{ cat "$W/common/crm-load.log" >&2; die "crm configure load"; }

client_http() { ip netns exec "$NS_C" curl -s -o /dev/null -m 0.5 "http://$1/"; }
# poll_http IP T0 FILE: from the client namespace, until IP answers HTTP (at most 30 s),
# then write the milliseconds since T0 to FILE. Short connect timeouts and a 50 ms pause
# keep the measurement's own granularity near 0.1 s.
poll_http() {
	local end=$(($2 + 30000))
	until ip netns exec "$NS_C" curl -s -o /dev/null --connect-timeout 0.2 -m 1 "http://$1/"; do
		[ "$(now_ms)" -lt "$end" ] || return 1
		sleep 0.05
	done
	echo $(($(now_ms) - $2)) >"$3"
}
serving() { client_http "$VIP"; }
where() { # where: the node g_iis runs on, as node1 sees it
	in_node node1 crm_resource --locate -r iis 2>/dev/null | sed -n 's/.*is running on: \([a-z0-9]*\).*/\1/p' | head -n1
}
site_state() { lab "$1" status --json | tr -d ' \n' | grep -o '"name":"www1"[^}]*"state":"[A-Za-z]*"' | sed 's/.*"state":"//; s/"$//'; }
pool_state() { lab "$1" status --json | tr -d ' \n' | grep -o '"name":"DefaultAppPool","state":"[A-Za-z]*"' | sed 's/.*"state":"//; s/"$//'; }
other() { [ "$1" = node1 ] && echo node2 || echo node1; }
running_on() { [ "$(where)" = "$1" ]; }

# --- (1) the group starts ----------------------------------------------------------------------
say "(1) start"
t0=$(now_ms)
wait_until 60 "the site on $VIP" serving
wait_until 30 "nginx on $VIP2" client_http "$VIP2"
t_start=$(($(now_ms) - t0))
active=$(where)
[ -n "$active" ] || die "cannot tell where g_iis runs"
passive=$(other "$active")
ip netns exec "${NS[$passive]}" curl -s -o /dev/null -m 2 "http://$VIP/" || die "the site does not answer on $VIP from $passive"
[ "$(site_state "$active")" = Started ] || die "the active node's lab shows www1 $(site_state "$active"), want Started"
[ "$(site_state "$passive")" = Stopped ] || die "the passive node's lab shows www1 $(site_state "$passive"), want Stopped"
say "(1) started on $active in $(seconds $t_start) s; answers from $passive; labs: $active Started, $passive Stopped"

# crm_resource --validate and --force-check with the configured agent.
in_node "$active" crm_resource --validate -r iis >"$W/common/validate.log" 2>&1 || { cat "$W/common/validate.log" >&2; die "crm_resource --validate"; }
in_node "$active" crm_resource --force-check -r iis >"$W/common/force-check.log" 2>&1 || { cat "$W/common/force-check.log" >&2; die "crm_resource --force-check on the active node"; }
in_node "$active" crm_resource --validate --class ocf --provider iiskit --agent iis \
	--option site=www1 --option type=W3 >>"$W/common/validate.log" 2>&1 || { cat "$W/common/validate.log" >&2; die "crm_resource --validate --agent"; }
say "(1) crm_resource --validate and --force-check: ok"

cleanup_rsc() { in_node node1 crm_resource --cleanup -r "$1" >/dev/null 2>&1 || true; }
settled() { in_node node1 crm_resource --wait --timeout=30s >/dev/null 2>&1; }

# --- (2) site faults -------------------------------------------------------------------------
fault_ms=()
for r in $(seq 1 "$ROUNDS"); do
	active=$(where)
	# A random phase against the 1 s monitor, so the figure is not locked to its ticks.
	sleep "0.$((RANDOM % 10))"
	t0=$(now_ms)
	lab "$active" site www1 state Stopped >/dev/null
	wait_until 10 "the fault to show" bash -c "! ip netns exec $NS_C curl -s -o /dev/null -m 0.5 http://$VIP/"
	wait_until 30 "the site to serve again after a fault" serving
	fault_ms+=($(($(now_ms) - t0)))
	fails=$(in_node node1 crm_failcount --query -r iis -N "$active" 2>/dev/null | sed -n 's/.*value=\([0-9A-Z]*\).*/\1/p')
	[ -n "$fails" ] && [ "$fails" != 0 ] || die "the monitor did not record the fault (fail count '$fails')"
	say "(2.$r) site fault on $active: detected (fail count $fails), serving again after $(seconds "${fault_ms[-1]}") s"
	settled
	cleanup_rsc iis
	settled
done

# --- (2b) application pool faults ------------------------------------------------------------
# The site stays Started in IIS but its root application's pool stops, so HTTP.sys answers
# 503: by an administrator's stop (pool state Stopped), then by rapid-fail protection (five
# worker-process crashes within five minutes, IIS's defaults). The monitor fails with 1
# (P1, 9820), Pacemaker restarts iis in place (stop = remove, which leaves the pool alone;
# start = restore, which starts the pool, P2), and the site answers 200 again, from the
# same node. Then the control that this check can fail: a pool that does not start (pool
# on-start ignore) fails the start (P2, 9822), the group moves to the other node, and
# pool_restored must say no.
http_code() { ip netns exec "$NS_C" curl -s -o /dev/null --connect-timeout 0.2 -m 0.5 -w '%{http_code}' "http://$VIP/" || true; }
answers() { [ "$(http_code)" = "$1" ]; }
# last_failure NODE ATTR: an attribute of iis's last failed operation on NODE, as the CIB
# records it (exit-reason with its quotes unescaped).
last_failure() {
	in_node node1 cibadmin -Q --xpath "//node_state[@uname='$1']//lrm_rsc_op[@id='iis_last_failure_0']" 2>/dev/null |
		head -n1 | sed -n "s/.* $2=\"\([^\"]*\)\".*/\1/p" | sed 's/&quot;/"/g' || true
}
# pool_restored NODE: g_iis still runs on NODE, whose lab shows the pool and the site
# Started; otherwise says why and fails.
pool_restored() {
	running_on "$1" || { echo "g_iis runs on '$(where)', not on $1"; return 1; }
	[ "$(pool_state "$1")" = Started ] || { echo "$1's lab shows DefaultAppPool $(pool_state "$1")"; return 1; }
	[ "$(site_state "$1")" = Started ] || { echo "$1's lab shows www1 $(site_state "$1")"; return 1; }
}
pool_stop_ms=()
pool_crash_ms=()
pool_monitors=()
for kind in stop crash; do
	for r in $(seq 1 "$ROUNDS"); do
		active=$(where)
		[ "$(pool_state "$active")" = Started ] || die "before the pool fault, $active's lab shows DefaultAppPool $(pool_state "$active")"
		before=$(grep -c 'Error 9820: ' "$W/$active/log-pacemaker/pacemaker.log" || true)
		sleep "0.$((RANDOM % 10))"
		t0=$(now_ms)
		if [ "$kind" = stop ]; then
			lab "$active" pool DefaultAppPool state Stopped >/dev/null
		else
			out=$(lab "$active" pool DefaultAppPool crash 5) || die "lab pool DefaultAppPool crash 5 on $active: $out"
			[[ "$out" == *"rapid-fail protection stopped the pool"* ]] || die "five crashes did not trip rapid-fail protection: $out"
		fi
		wait_until 10 "the site to answer 503 (pool stopped)" answers 503
		wait_until 30 "the site to answer 200 again after the pool stopped" answers 200
		ms=$(($(now_ms) - t0))
		no=$(pool_restored "$active") || die "after the pool fault on $active, not restored there: $no"
		op=$(last_failure "$active" operation_key)
		rc=$(last_failure "$active" rc-code)
		why=$(last_failure "$active" exit-reason)
		[[ "$op" == iis_monitor_* ]] && [ "$rc" = 1 ] || die "iis's last failure on $active is '$op' rc '$rc', want a monitor returning 1"
		[[ "$why" == *'"DefaultAppPool"'* ]] || die "the monitor's exit reason does not name the pool: '$why'"
		after=$(grep -c 'Error 9820: ' "$W/$active/log-pacemaker/pacemaker.log" || true)
		[ "$after" -gt "$before" ] || die "event 9820 is not in $active's log after the pool fault"
		# Which monitor saw it first: depth 0 (every 1 s) or depth 10 (every 3 s, which
		# runs quickcheck first), whichever came first after the random phase.
		case $op in iis_monitor_1000) depth=0 ;; iis_monitor_3000) depth=10 ;; *) depth="?" ;; esac
		pool_monitors+=("$depth")
		if [ "$kind" = stop ]; then pool_stop_ms+=("$ms"); else pool_crash_ms+=("$ms"); fi
		say "(2b.$kind.$r) pool stopped on $active ($kind): 503, depth $depth monitor 1 ($why), restarted in place, pool Started, 200 after $(seconds "$ms") s"
		settled
		cleanup_rsc iis
		settled
	done
done
# The control: the pool does not start on the active node.
from=$(where)
to=$(other "$from")
lab "$from" pool DefaultAppPool on-start ignore >/dev/null
t0=$(now_ms)
lab "$from" pool DefaultAppPool state Stopped >/dev/null
wait_until 10 "the site to answer 503 (pool stopped, on-start ignore)" answers 503
wait_until 60 "g_iis to leave $from, whose pool does not start" running_on "$to"
wait_until 30 "the site to answer 200 from $to" answers 200
t_pool_refused=$(($(now_ms) - t0))
if no=$(pool_restored "$from"); then die "pool_restored passed although $from's pool could not start"; fi
op=$(last_failure "$from" operation_key)
why=$(last_failure "$from" exit-reason)
[ "$op" = iis_start_0 ] && [[ "$why" == *'"DefaultAppPool"'* ]] ||
	die "after the pool refused to start, iis's last failure on $from is '$op' ('$why'), want the start naming the pool"
say "(2b.control) $from's pool does not start: start failed ($why), moved to $to, 200 after $(seconds $t_pool_refused) s; the in-place check says: $no"
lab "$from" pool DefaultAppPool on-start ok >/dev/null
lab "$from" pool DefaultAppPool state Started >/dev/null
settled
cleanup_rsc iis
settled

# --- (3) switch-overs --------------------------------------------------------------------------
switch_ms=()
for r in $(seq 1 "$ROUNDS"); do
	from=$(where)
	to=$(other "$from")
	t0=$(now_ms)
	in_node node1 crm_resource --move -r g_iis -N "$to" >/dev/null 2>&1
	wait_until 30 "g_iis on $to" running_on "$to"
	wait_until 30 "the site to serve from $to" serving
	switch_ms+=($(($(now_ms) - t0)))
	[ "$(site_state "$from")" = Stopped ] || die "after the move, $from's lab shows www1 $(site_state "$from")"
	[ "$(site_state "$to")" = Started ] || die "after the move, $to's lab shows www1 $(site_state "$to")"
	say "(3.$r) switch-over $from → $to: serving after $(seconds "${switch_ms[-1]}") s; $from Stopped, $to Started"
	in_node node1 crm_resource --clear -r g_iis >/dev/null 2>&1
	settled
done

# --- (3b) a fault only the deep check sees, until migration-threshold -------------------------
# The site stays Started in IIS but its listener is closed (lab respond refuse): the depth 0
# monitor passes, the depth 10 monitor fails (9757), the restart does not help, and after
# migration-threshold=3 failures the group moves to the other node.
from=$(where)
to=$(other "$from")
t0=$(now_ms)
lab "$from" site www1 respond refuse >/dev/null
wait_until 60 "g_iis to move away from the deep fault" running_on "$to"
wait_until 30 "the site to serve from $to" serving
t_deep=$(($(now_ms) - t0))
fails=$(in_node node1 crm_failcount --query -r iis -N "$from" 2>/dev/null | sed -n 's/.*value=\([0-9A-Z]*\).*/\1/p')
[[ "$fails" =~ ^[0-9]+$ ]] && [ "$fails" -ge 3 ] || die "after the deep fault, the fail count on $from is '$fails', want 3 or more (migration-threshold)"
grep -q "9757" "$W/$from/log-pacemaker/pacemaker.log" || die "the depth 10 monitor's event 9757 is not in $from's log"
say "(3b) deep fault on $from (listener closed, IIS says Started): 3 failed depth-10 monitors, moved to $to, serving after $(seconds $t_deep) s"
lab "$from" site www1 respond ok >/dev/null
settled
cleanup_rsc iis
settled

# --- (4) hard node failures, with the nginx anchor -------------------------------------------
kill_iis_ms=()
kill_nginx_ms=()
for r in $(seq 1 "$ROUNDS"); do
	victim=$(where)
	survivor=$(other "$victim")
	wait_until 10 "nginx serving before the kill" client_http "$VIP2"
	# A dead node answers nothing: its link goes down with its processes.
	t0=$(now_ms)
	ip -n "${NS[$victim]}" link set eth0 down
	kill_ns "${NS[$victim]}"
	echo "round $r: killed $victim at $(date -d @$((t0 / 1000)) +%T).$(printf %03d $((t0 % 1000)))" >>"$W/common/kills.log"
	poll_http "$VIP" "$t0" "$W/common/kill-iis" &
	p1=$!
	poll_http "$VIP2" "$t0" "$W/common/kill-nginx" &
	p2=$!
	wait $p1 || die "the site did not come back after killing $victim"
	wait $p2 || die "nginx did not come back after killing $victim"
	kill_iis_ms+=("$(cat "$W/common/kill-iis")")
	kill_nginx_ms+=("$(cat "$W/common/kill-nginx")")
	[ "$(site_state "$survivor")" = Started ] || die "the survivor's lab shows www1 $(site_state "$survivor")"
	say "(4.$r) killed $victim: the site serves from $survivor after $(seconds "${kill_iis_ms[-1]}") s, nginx after $(seconds "${kill_nginx_ms[-1]}") s"
	# Rebuild the dead node for the next round.
	net_up "$victim"
	node_start "$victim"
	wait_until 60 "$victim back online" online "$survivor"
	settled
done

# --- (5) a node that cannot start the site --------------------------------------------------
active=$(where)
bad=$(other "$active")
lab "$bad" site www1 on-start ignore >/dev/null
t0=$(now_ms)
in_node node1 crm_resource --move -r g_iis -N "$bad" >/dev/null 2>&1
# The start on the bad node fails, and g_iis comes back to the good one.
wait_until 60 "a failed start on $bad" bash -c "nsenter -t ${HOLDER[node1]} -m -u -n -- crm_failcount --query -r iis -N $bad 2>/dev/null | grep -q 'value=INFINITY'"
wait_until 60 "g_iis back on $active" running_on "$active"
wait_until 30 "the site serving from $active" serving
t_refuse=$(($(now_ms) - t0))
# Not retried: the fail count stays INFINITY and it stays away from the bad node.
sleep 3
running_on "$active" || die "g_iis left $active after the failed start on $bad"
in_node node1 crm_failcount --query -r iis -N "$bad" | grep -q 'value=INFINITY' || die "the fail count on $bad did not stay INFINITY"
[ "$(site_state "$bad")" = Stopped ] || die "$bad's lab shows www1 $(site_state "$bad")"
say "(5) $bad refused the start: fail count INFINITY there, g_iis back on $active, serving after $(seconds $t_refuse) s; not retried"
in_node node1 crm_resource --clear -r g_iis >/dev/null 2>&1
lab "$bad" site www1 on-start ok >/dev/null

# --- figures --------------------------------------------------------------------------------------
mi=$(echo "${kill_iis_ms[*]}" | median)
mn=$(echo "${kill_nginx_ms[*]}" | median)
mf=$(echo "${fault_ms[*]}" | median)
msw=$(echo "${switch_ms[*]}" | median)
mps=$(echo "${pool_stop_ms[*]}" | median)
mpc=$(echo "${pool_crash_ms[*]}" | median)
d0=$(printf '%s\n' "${pool_monitors[@]}" | grep -cx 0 || true)
ratio=$(awk -v a="$mi" -v b="$mn" 'BEGIN {printf "%.2f", a/b}')
{
	echo "iiskit cluster test, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, corosync token 1000 ms, pacemaker $(pacemakerd --version | head -n1 | awk '{print $2}')"
	echo "monitors: iis depth 0 every 1s, depth 10 every 3s; nginx every 1s; IPaddr2 every 2s"
	echo "start of both groups:               $(seconds $t_start) s"
	echo "kill-to-serving, iiskit (median/$ROUNDS):  $(seconds "$mi") s   runs: $(for v in "${kill_iis_ms[@]}"; do printf '%s ' "$(seconds "$v")"; done)"
	echo "kill-to-serving, nginx agent:        $(seconds "$mn") s   runs: $(for v in "${kill_nginx_ms[@]}"; do printf '%s ' "$(seconds "$v")"; done)"
	echo "ratio iiskit / nginx:                $ratio"
	echo "fault-to-serving (median/$ROUNDS):        $(seconds "$mf") s   runs: $(for v in "${fault_ms[@]}"; do printf '%s ' "$(seconds "$v")"; done)"
	echo "pool stopped to 200 (median/$ROUNDS):     $(seconds "$mps") s   runs: $(for v in "${pool_stop_ms[@]}"; do printf '%s ' "$(seconds "$v")"; done)"
	echo "rapid-fail to 200 (median/$ROUNDS):       $(seconds "$mpc") s   runs: $(for v in "${pool_crash_ms[@]}"; do printf '%s ' "$(seconds "$v")"; done)"
	echo "pool faults seen first by depth 0:   $d0 of ${#pool_monitors[@]} (the others by depth 10)"
	echo "pool that does not start to 200 elsewhere: $(seconds $t_pool_refused) s"
	echo "switch-over (median/$ROUNDS):             $(seconds "$msw") s   runs: $(for v in "${switch_ms[@]}"; do printf '%s ' "$(seconds "$v")"; done)"
	echo "deep fault to serving elsewhere:     $(seconds $t_deep) s   (3 failed depth-10 monitors, migration-threshold 3)"
	echo "refused start to serving elsewhere:  $(seconds $t_refuse) s"
	echo "whole run (build and packages included): ${SECONDS} s"
} >"$FIGURES"
say "all scenarios passed; figures ($FIGURES):"
cat "$FIGURES"
