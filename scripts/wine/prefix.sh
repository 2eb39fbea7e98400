# Shared Wine setup, sourced by scripts/wine.sh and scripts/winkit.sh (bash).
#
# wine_install PKG...  installs the Debian packages whose commands are missing (root).
# wine_prefix DIR      makes a throwaway Wine prefix at DIR, exports WINEPREFIX and friends,
#                      keeps a wineserver warm, and puts the ProcessPrng stand-in DLL into
#                      its system32 (Go 1.22+ Windows binaries need ProcessPrng; Wine 8 has
#                      none). Sets SYS32 to the prefix's system32 folder.

wine_install() {
	(($# == 0)) && return 0
	echo "installing $*"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

wine_prefix() {
	local root
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	export WINEPREFIX="$1" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
	wineboot --init >/dev/null 2>&1
	# wineboot returns while the prefix is still being set up; services or registry keys
	# written before that ends are lost, so wait for that wineserver to finish, then keep
	# a new one warm for the many short processes that follow.
	wineserver -w
	wineserver -p 120 || true
	wine reg add 'HKCU\Software\Wine' /v Version /d win10 /f >/dev/null 2>&1 || true
	SYS32="$WINEPREFIX/drive_c/windows/system32"
	x86_64-w64-mingw32-gcc -O2 -shared -o "$SYS32/bcryptprimitives.dll" \
		"$root/scripts/wine/processprng.c" "$root/scripts/wine/processprng.def" -ladvapi32 -Wl,--kill-at
}

# wine_iis ROOT SERVICES...  puts the stand-in IIS into the current prefix: the stand-in
# services (scripts/wine/stubsvc) created and started under each name given, the
# recording appcmd.exe at C:\Windows\System32\inetsrv, and the script components standing
# in for the IIS configuration API and the IIS 6 WMI provider (scripts/wine/standin),
# registered under the real ProgIDs (this replaces Wine's own WbemScripting.SWbemLocator
# in this throwaway prefix).
wine_iis() {
	local root=$1
	shift
	mkdir -p "$WINEPREFIX/drive_c/iiskit/svc" "$SYS32/inetsrv"
	(cd "$root" && GOOS=windows GOARCH=amd64 go build -o "$WINEPREFIX/drive_c/iiskit/stubsvc.exe" ./scripts/wine/stubsvc)
	(cd "$root" && GOOS=windows GOARCH=amd64 go build -o "$SYS32/inetsrv/appcmd.exe" ./scripts/wine/appcmd)
	cp "$root"/scripts/wine/standin/*.wsc "$WINEPREFIX/drive_c/iiskit/"
	local f
	for f in ahadmin-core ahadmin ahadmin-writable wmi-iis6; do
		wine regsvr32 /s "/i:C:\\iiskit\\$f.wsc" scrobj.dll >/dev/null 2>&1 || true
	done
	wine reg query 'HKCR\Microsoft.ApplicationHost.WritableAdminManager\CLSID' >/dev/null 2>&1 \
		|| { echo "the configuration API stand-in did not register"; return 1; }
	local s
	for s in "$@"; do
		wine sc create "$s" binPath= "C:\\iiskit\\stubsvc.exe -service $s" >/dev/null
		ensure_running "$s"
	done
}

# ensure_running NAME: start a stand-in service and wait (10 s at most) for RUNNING. Wine's
# sc can report a failed start while the service comes up anyway, so the state decides.
ensure_running() {
	wine sc start "$1" >/dev/null 2>&1 || true
	for _ in $(seq 100); do
		wine sc query "$1" 2>/dev/null | grep -q RUNNING && return 0
		sleep 0.1
	done
	echo "service $1 did not reach RUNNING"
	wine sc query "$1"
	return 1
}

# wine_version VERSION: the Windows version the prefix reports (win7, win10).
wine_version() {
	wine reg add 'HKCU\Software\Wine' /v Version /d "$1" /f >/dev/null 2>&1
}
