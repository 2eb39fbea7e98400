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
