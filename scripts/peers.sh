#!/usr/bin/env bash
# peers.sh start|stop DIR: real servers that iiskit did not write, on loopback, for the
# probe tests in internal/probe (IISKIT_PEERS=DIR/peers.env).
#
#   nginx     127.0.0.2  http and https (self-signed); name-based virtual hosts on each
#                        port: site.test answers 200, deadpool.test answers 503 (a stopped
#                        application pool's answer)
#   vsftpd    127.0.0.3  a local user (230), plain or explicit FTPS (AUTH TLS)
#   OpenSMTPD 127.0.0.4  EHLO, in plain text only: OpenSMTPD 6.8.0p2 as packaged for
#                        Debian 12 fails every TLS handshake with OpenSSL 3 (upstream issues
#                        OpenSMTPD#1171, #1239), so STARTTLS is tested on scripted servers
#
# start installs what is missing (Debian packages, as root or through sudo), writes every
# config, certificate and log under DIR, starts the servers, waits (bounded) until each
# answers, and writes DIR/peers.env (KEY=VALUE lines, mode 0600). Starting again restarts
# them with the same DIR. stop ends only the processes whose pids it recorded in DIR.
set -euo pipefail

PEER_USER=iiskitpeer
PAM_SERVICE=iiskit-peer-ftp
HTTP_IP=127.0.0.2
FTP_IP=127.0.0.3
SMTP_IP=127.0.0.4
WAIT_TRIES=100 # of 0.1 s each

die() { echo "peers.sh: $*" >&2; exit 1; }
usage() { die "usage: peers.sh start|stop DIR"; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_missing() {
	local missing=()
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
	command -v vsftpd >/dev/null 2>&1 || [ -x /usr/sbin/vsftpd ] || missing+=(vsftpd)
	command -v smtpd >/dev/null 2>&1 || [ -x /usr/sbin/smtpd ] || missing+=(opensmtpd)
	command -v openssl >/dev/null 2>&1 || missing+=(openssl)
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "peers.sh: installing ${missing[*]}" >&2
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
}

# listening IP PORT: something accepts connections there.
listening() { timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

# free_port IP: a port nothing listens on at IP (ports are per address, so each peer has
# its own address and the tests share no port with anything else).
free_port() {
	local p i
	for i in $(seq 1 50); do
		p=$((20000 + RANDOM % 40000))
		if ! listening "$1" "$p"; then echo "$p"; return 0; fi
	done
	die "no free port on $1"
}

# wait_for NAME IP PORT [BANNER]: until the port accepts (and sends a reply starting with
# BANNER), at most WAIT_TRIES tenths of a second.
wait_for() {
	local name=$1 ip=$2 port=$3 banner=${4:-} i got
	for i in $(seq 1 "$WAIT_TRIES"); do
		if [ -z "$banner" ]; then
			listening "$ip" "$port" && return 0
		else
			got=$(timeout 1 bash -c "exec 3<>/dev/tcp/$ip/$port; head -c ${#banner} <&3" 2>/dev/null || true)
			[ "$got" = "$banner" ] && return 0
		fi
		sleep 0.1
	done
	die "$name did not answer on $ip:$port; see $DIR/*.log"
}

# alive PID: the process exists and is not a zombie waiting for its parent (here PID 1)
# to reap it.
alive() {
	local state
	state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$state" ] && [ "$state" != Z ]
}

# stop: end the processes recorded in DIR, each only if its pid still runs the program
# recorded (a pid file left from an old run may name an unrelated process by now).
stop() {
	local pids=() file comm pid i
	for file in nginx:nginx vsftpd:vsftpd smtpd:smtpd; do
		comm=${file#*:}
		file=$DIR/${file%%:*}.pid
		[ -f "$file" ] || continue
		pid=$(cat "$file" 2>/dev/null || true)
		rm -f "$file"
		[ -n "$pid" ] && alive "$pid" || continue
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ] || continue
		kill "$pid" 2>/dev/null && pids+=("$pid")
	done
	for i in $(seq 1 50); do
		local left=()
		for pid in ${pids[@]+"${pids[@]}"}; do alive "$pid" && left+=("$pid"); done
		[ ${#left[@]} -eq 0 ] && return 0
		pids=("${left[@]}")
		sleep 0.1
	done
	kill -9 "${pids[@]}" 2>/dev/null || true
}

certificate() {
	mkdir -p "$DIR/tls"
	# Reused while it has an hour left, so that a restart is quick.
	if [ -f "$DIR/tls/cert.pem" ] && openssl x509 -checkend 3600 -noout -in "$DIR/tls/cert.pem" >/dev/null 2>&1; then
		return 0
	fi
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=site.test \
		-addext "subjectAltName=DNS:site.test,DNS:deadpool.test,DNS:peer.test,IP:$HTTP_IP,IP:$FTP_IP,IP:$SMTP_IP" \
		-keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem" >/dev/null 2>&1
	chmod 600 "$DIR/tls/key.pem"
}

peer_user() {
	mkdir -p "$DIR/ftphome"
	if id -u "$PEER_USER" >/dev/null 2>&1; then
		as_root usermod -d "$DIR/ftphome" "$PEER_USER" >/dev/null 2>&1 || true
	else
		as_root useradd -d "$DIR/ftphome" -s /bin/bash -M "$PEER_USER"
	fi
	as_root chown "$PEER_USER" "$DIR/ftphome"
	FTP_PASSWORD=$(openssl rand -hex 12)
	echo "$PEER_USER:$FTP_PASSWORD" | as_root chpasswd
}

start_nginx() {
	HTTP_PORT=$(free_port "$HTTP_IP")
	HTTPS_PORT=$(free_port "$HTTP_IP")
	mkdir -p "$DIR/nginx-temp"
	local vhost
	vhost() { # vhost NAME STATUS [default_server]
		cat <<EOF
	server {
		listen $HTTP_IP:$HTTP_PORT ${3:-};
		listen $HTTP_IP:$HTTPS_PORT ssl ${3:-};
		server_name $1;
		ssl_certificate $DIR/tls/cert.pem;
		ssl_certificate_key $DIR/tls/key.pem;
		location / { return $2 "$1 $2\n"; }
	}
EOF
	}
	cat >"$DIR/nginx.conf" <<EOF
worker_processes 1;
pid $DIR/nginx.pid;
error_log $DIR/nginx-error.log;
events { worker_connections 64; }
http {
	access_log $DIR/nginx-access.log;
	client_body_temp_path $DIR/nginx-temp/body;
	proxy_temp_path $DIR/nginx-temp/proxy;
	fastcgi_temp_path $DIR/nginx-temp/fastcgi;
	uwsgi_temp_path $DIR/nginx-temp/uwsgi;
	scgi_temp_path $DIR/nginx-temp/scgi;
	default_type text/plain;
$(vhost site.test 200 default_server)
$(vhost deadpool.test 503)
}
EOF
	nginx -e "$DIR/nginx-error.log" -p "$DIR/" -c "$DIR/nginx.conf" </dev/null >"$DIR/nginx.log" 2>&1 ||
		die "nginx did not start: $(cat "$DIR/nginx.log" "$DIR/nginx-error.log" 2>/dev/null | tail -3)"
	wait_for nginx "$HTTP_IP" "$HTTP_PORT"
	wait_for nginx "$HTTP_IP" "$HTTPS_PORT"
}

# pam_service writes the PAM service of the peer's vsftpd: Debian's own adds a 2 s delay
# to every failed login (pam_unix without nodelay), which the wrong-password tests pay.
pam_service() {
	local f=/etc/pam.d/$PAM_SERVICE
	local want='auth required pam_unix.so nodelay
account required pam_unix.so
session required pam_unix.so'
	[ "$(cat "$f" 2>/dev/null)" = "$want" ] || printf '%s\n' "$want" | as_root tee "$f" >/dev/null
}

start_vsftpd() {
	pam_service
	FTP_PORT=$(free_port "$FTP_IP")
	mkdir -p "$DIR/vsftpd-empty"
	chmod 755 "$DIR/vsftpd-empty"
	cat >"$DIR/vsftpd.conf" <<EOF
listen=YES
listen_ipv6=NO
listen_address=$FTP_IP
listen_port=$FTP_PORT
background=NO
anonymous_enable=NO
local_enable=YES
write_enable=NO
pasv_enable=YES
pasv_address=$FTP_IP
secure_chroot_dir=$DIR/vsftpd-empty
pam_service_name=$PAM_SERVICE
delay_failed_login=0
seccomp_sandbox=NO
chroot_local_user=YES
allow_writeable_chroot=YES
xferlog_enable=NO
vsftpd_log_file=$DIR/vsftpd-xfer.log
ssl_enable=YES
rsa_cert_file=$DIR/tls/cert.pem
rsa_private_key_file=$DIR/tls/key.pem
ssl_ciphers=HIGH
force_local_logins_ssl=NO
force_local_data_ssl=NO
allow_anon_ssl=NO
EOF
	setsid vsftpd "$DIR/vsftpd.conf" </dev/null >"$DIR/vsftpd.log" 2>&1 &
	echo $! >"$DIR/vsftpd.pid"
	wait_for vsftpd "$FTP_IP" "$FTP_PORT" 220
}

start_smtpd() {
	SMTP_PORT=$(free_port "$SMTP_IP")
	mkdir -p "$DIR/maildir"
	chown "$PEER_USER" "$DIR/maildir"
	cat >"$DIR/smtpd.conf" <<EOF
table vusers { "@" = "$PEER_USER" }
listen on $SMTP_IP port $SMTP_PORT hostname peer.test
action "store" maildir "$DIR/maildir" virtual <vusers>
match from any for any action "store"
EOF
	smtpd -n -f "$DIR/smtpd.conf" >"$DIR/smtpd-check.log" 2>&1 ||
		die "smtpd rejects its config: $(tail -3 "$DIR/smtpd-check.log")"
	setsid smtpd -d -f "$DIR/smtpd.conf" </dev/null >"$DIR/smtpd.log" 2>&1 &
	echo $! >"$DIR/smtpd.pid"
	wait_for smtpd "$SMTP_IP" "$SMTP_PORT" 220
}

write_env() {
	local env="$DIR/peers.env"
	(
		umask 077
		cat >"$env.tmp" <<EOF
PEER_HTTP_ADDR=$HTTP_IP:$HTTP_PORT
PEER_HTTPS_ADDR=$HTTP_IP:$HTTPS_PORT
PEER_HTTP_HOST=site.test
PEER_HTTP_DEAD_HOST=deadpool.test
PEER_CA_FILE=$DIR/tls/cert.pem
PEER_FTP_ADDR=$FTP_IP:$FTP_PORT
PEER_FTP_USER=$PEER_USER
PEER_FTP_PASSWORD=$FTP_PASSWORD
PEER_FTP_TLS_NAME=site.test
PEER_SMTP_ADDR=$SMTP_IP:$SMTP_PORT
EOF
	)
	mv "$env.tmp" "$env"
}

[ $# -eq 2 ] || usage
DIR=$2
case $1 in
start)
	mkdir -p "$DIR"
	DIR=$(cd "$DIR" && pwd)
	chmod 711 "$DIR" # the FTP user's home is inside
	stop
	install_missing
	certificate
	peer_user
	start_nginx
	start_vsftpd
	start_smtpd
	write_env
	echo "peers.sh: nginx $HTTP_IP:$HTTP_PORT (https $HTTPS_PORT), vsftpd $FTP_IP:$FTP_PORT, smtpd $SMTP_IP:$SMTP_PORT; env in $DIR/peers.env"
	;;
stop)
	[ -d "$DIR" ] || exit 0
	DIR=$(cd "$DIR" && pwd)
	stop
	;;
*) usage ;;
esac
