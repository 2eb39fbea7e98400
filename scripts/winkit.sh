#!/usr/bin/env bash
# The Windows kit, tested as far as Linux allows (called by scripts/test.sh):
#  - LifeKeeper: `iiskit lifekeeper scripts` wrappers run with ksh (Korn shell form) and sh
#    (Generic Application form, -t TAG -i ID) against a lab host: exit statuses, the lab's
#    state, a hostile site name;
#  - WSFC: the Generic Script under Wine's cscript, with a stand-in for the cluster's
#    Resource object (scripts/wine/wsfc-harness.vbs), running the MSI-installed iiskit.exe
#    against the same lab host; LooksAlive's wall time;
#  - the MSI: built by scripts/package.sh, installed, upgraded (0.1.0-rc1 by 0.1.0 of the
#    same X.Y.Z, then by 0.1.1) and uninstalled with Wine's msiexec (files, PATH, event
#    source, one product at a time); a signed build verifies with osslsigncode.
# Needs root on Debian 12 (installs ksh, wixl, msitools, osslsigncode, Wine, mingw). With
# CI set, a missing tool is a failure, never a skip. The lab host listens on 127.0.3.1..3
# (no other test uses 127.0.3.x).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=wine/prefix.sh
. scripts/wine/prefix.sh
say() { printf '\n=== winkit.sh: %s\n' "$*"; }
fails=0
pass() { printf 'PASS %s\n' "$*"; }
fail() { printf 'FAIL %s\n' "$*"; fails=$((fails + 1)); }

need=()
command -v ksh >/dev/null || need+=(ksh)
command -v wixl >/dev/null || need+=(wixl)
command -v msibuild >/dev/null || need+=(msitools)
command -v osslsigncode >/dev/null || need+=(osslsigncode)
command -v wine >/dev/null || need+=(wine64 wine)
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64-win32)
command -v openssl >/dev/null || need+=(openssl)
if ((${#need[@]})); then
	if [[ $(id -u) != 0 ]]; then
		[[ -n ${CI:-} ]] && { echo "winkit.sh: missing ${need[*]} and not root to install them"; exit 1; }
		echo "winkit.sh: SKIP: missing ${need[*]} (run as root to install them)"
		exit 0
	fi
	wine_install "${need[@]}"
fi

WORK=$(mktemp -d /tmp/iiskit-winkit.XXXXXX)
LAB_PID= OUR_WINE=
cleanup() {
	[[ -z $LAB_PID ]] || kill "$LAB_PID" 2>/dev/null || true
	[[ -z $OUR_WINE ]] || wineserver -k >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap cleanup EXIT

say "build: iiskit (linux) and the package (scripts/package.sh, 0.1.0-rc1 and 0.1.0 unsigned, 0.1.1 signed)"
go build -o "$WORK/iiskit" ./cmd/iiskit
IISKIT="$WORK/iiskit"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=iiskit-winkit-test \
	-addext extendedKeyUsage=codeSigning -keyout "$WORK/sign.key" -out "$WORK/sign.crt" 2>/dev/null
bash scripts/package.sh --version 0.1.0-rc1 --out "$WORK/dist0rc"
bash scripts/package.sh --version 0.1.0 --out "$WORK/dist0"
bash scripts/package.sh --version 0.1.1 --out "$WORK/dist1" --sign-cert "$WORK/sign.crt" --sign-key "$WORK/sign.key"
MSI0RC="$WORK/dist0rc/iiskit-0.1.0-rc1-x64.msi" MSI0="$WORK/dist0/iiskit-0.1.0-x64.msi" MSI1="$WORK/dist1/iiskit-0.1.1-x64.msi"

say "signatures (osslsigncode verify against the test certificate)"
for f in "$WORK/dist1/iiskit.exe" "$MSI1"; do
	if osslsigncode verify -CAfile "$WORK/sign.crt" -in "$f" >"$WORK/verify.log" 2>&1; then
		pass "signed and verified: ${f##*/}"
	else
		fail "does not verify: ${f##*/}"; cat "$WORK/verify.log"
	fi
done
mkdir -p "$WORK/x1"
msiextract -C "$WORK/x1" "$MSI1" >/dev/null
inner=$(find "$WORK/x1" -name iiskit.exe | head -1)
if [[ -n $inner ]] && osslsigncode verify -CAfile "$WORK/sign.crt" -in "$inner" >/dev/null 2>&1; then
	pass "the iiskit.exe inside the signed MSI is signed"
else
	fail "the iiskit.exe inside the signed MSI is not signed"
fi
if osslsigncode verify -CAfile "$WORK/sign.crt" -in "$WORK/dist0/iiskit.exe" >/dev/null 2>&1; then
	fail "the build without --sign-cert is signed"
else
	pass "the build without --sign-cert is unsigned"
fi

say "lab host on 127.0.3.1 (sites on 127.0.3.2 and 127.0.3.3)"
cat >"$WORK/applicationHost.config" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <system.applicationHost>
    <sites>
      <site name="Web" id="1" serverAutoStart="false">
        <bindings><binding protocol="http" bindingInformation="127.0.3.2:18417:" /></bindings>
      </site>
    </sites>
  </system.applicationHost>
</configuration>
XML
"$IISKIT" lab serve --listen 127.0.3.1:0 --config "$WORK/applicationHost.config" --hostname WINKIT >"$WORK/lab.out" 2>"$WORK/lab.err" &
LAB_PID=$!
for _ in $(seq 100); do grep -q 'listening on' "$WORK/lab.out" && break; sleep 0.1; done
LAB=$(sed -n 's/.*listening on //p' "$WORK/lab.out")
[[ -n $LAB ]] || { echo "the lab host did not start"; cat "$WORK/lab.err"; exit 1; }
echo "lab host at $LAB"
# A site name with everything a shell, cmd.exe, VBScript or CommandLineToArgvW could
# misread: quotes, a backslash before a quote, %VAR%, & and ^, $(...), a non-ASCII letter.
HOSTILE='x"; & ^ %PATH% \" $(touch pwned) '\''q'\'' é'
# The same for WSFC without the non-ASCII letter: Wine 8's VBScript has no ChrW (the Go
# tests check how the script writes non-ASCII).
HOSTILE_ASCII='x"; & ^ %PATH% \" $(touch pwned) '\''q'\'' \'
lab() { "$IISKIT" lab --lab "$LAB" "$@" >/dev/null; }
lab site "$HOSTILE" add --type W3 --binding 'http/127.0.3.3:18417:' --stopped
lab site "$HOSTILE_ASCII" add --type W3 --binding 'http/127.0.3.3:18418:' --stopped
# site_state ID: the state of the lab site with that id (2 is the hostile one, 3 the
# ASCII one; 1, "Web", must never change).
site_state() {
	"$IISKIT" lab status --lab "$LAB" --json | tr -d ' \n' |
		grep -o "\"id\":$1,\"types\":\[[^]]*\],\"state\":\"[A-Za-z]*\"" | sed 's/.*"state":"//; s/"$//'
}

say "LifeKeeper wrappers (ksh: Korn shell form; sh: Generic Application form with -t TAG -i ID)"
# The tag is hostile too: it is the one value the scripts themselves hold.
LKTAG='lk "web" $(touch tagpwn) '\''t'\'' `touch tagpwn` \'
"$IISKIT" lifekeeper scripts --tag "$LKTAG" --out "$WORK/lk" --exe "$IISKIT" --site "$HOSTILE" --type W3 \
	--platform lab --lab "$LAB" --retry-interval 50ms --probe-timeout 1s --timeout 20s --events "$WORK/lk-events.jsonl" >/dev/null
if grep -rqF 'touch pwned' "$WORK/lk"/*.ksh "$WORK/lk/generic"; then fail "the site name is in a script"; else pass "the site name is only in resource.toml"; fi
# lk FORM ACTION WANT_EXIT WANT_STATE: runs one wrapper, checks its exit status and the
# hostile site's state afterwards.
lk() {
	local form=$1 action=$2 want=$3 state=$4 code=0 got
	cd "$WORK"
	if [[ $form == ksh ]]; then
		ksh "$WORK/lk/$action.ksh" >"$WORK/lk.log" 2>&1 || code=$?
	else
		sh "$WORK/lk/generic/$action.sh" -t "$LKTAG" -i lk-web-id >"$WORK/lk.log" 2>&1 || code=$?
	fi
	cd "$ROOT"
	got=$(site_state 2)
	if [[ $code == "$want" && $got == "$state" ]]; then
		pass "$form $action: exit $code, site $got"
	else
		fail "$form $action: exit $code (want $want), site $got (want $state)"; cat "$WORK/lk.log"
	fi
}
for form in ksh sh; do
	lk $form quickCheck 1 Stopped
	lk $form restore 0 Started
	lk $form quickCheck 0 Started
	lk $form deepCheck 0 Started
	lab site "$HOSTILE" respond hang
	lk $form deepCheck 1 Started
	lab site "$HOSTILE" respond ok
	lk $form recover 0 Started
	lk $form remove 0 Stopped
	lk $form quickCheck 1 Stopped
	lk $form recover 1 Stopped
done
code=0
sh "$WORK/lk/generic/restore.sh" -t another-tag -i x >/dev/null 2>&1 || code=$?
[[ $code == 1 && $(site_state 2) == Stopped ]] && pass "Generic Application form refuses -t another-tag" ||
	fail "Generic Application form with -t another-tag: exit $code, site $(site_state 2)"
# The tag as iiskit's JSON events write it (Go's encoder: \" and \\ escaped).
json_tag='"tag":"lk \"web\" $(touch tagpwn) '\''t'\'' `touch tagpwn` \\"'
n9407=$(grep -F '"id":9407' "$WORK/lk-events.jsonl" | grep -cF "$json_tag" || true)
[[ $n9407 == 2 ]] && pass "events 9407 (one per form) carry the tag intact" || fail "$n9407 events 9407 with the tag intact, want 2"
[[ ! -e $WORK/pwned && ! -e $WORK/tagpwn && $(site_state 1) == Stopped ]] && pass "no command ran from the name or the tag; site Web untouched" ||
	fail "the hostile name ran a command or another site changed"

say "Wine prefix"
OUR_WINE=1
wine_prefix "$WORK/prefix"
DRIVE_C="$WINEPREFIX/drive_c"

say "the WSFC quoting against Windows' own parser: go test -exec wine ./internal/adapter/wsfc"
if GOOS=windows GOARCH=amd64 go test -count=1 -exec wine -run 'Windows|Quote|Literal' ./internal/adapter/wsfc >"$WORK/gotest.log" 2>&1; then
	pass "$(tail -1 "$WORK/gotest.log")"
else
	fail "go test -exec wine ./internal/adapter/wsfc"; cat "$WORK/gotest.log"
fi
EXE_DIR="$DRIVE_C/Program Files/iiskit"
ENV_KEY='HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment'
SRC_KEY='HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\iiskit'
winpath() { printf 'Z:%s' "${1//\//\\}"; }
installed_version() { wine "C:\\Program Files\\iiskit\\iiskit.exe" version 2>/dev/null | awk '{print $2}'; }
products() { wine reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s 2>/dev/null | tr -d '\r' | grep -c 'DisplayName.*REG_SZ.*iiskit$' || true; }

say "MSI 0.1.0-rc1: install"
wine msiexec /i "$(winpath "$MSI0RC")" /qn && pass "msiexec /i 0.1.0-rc1 exit 0" || fail "msiexec /i 0.1.0-rc1 failed"
[[ $(installed_version) == 0.1.0-rc1 && $(products) == 1 ]] && pass "0.1.0-rc1 installed, one product" ||
	fail "after 0.1.0-rc1: version $(installed_version), $(products) products"

say "MSI 0.1.0 over 0.1.0-rc1: the same X.Y.Z (ProductVersion 0.1.0), a new ProductCode, replaces it"
wine msiexec /i "$(winpath "$MSI0")" /qn && pass "msiexec /i exit 0" || fail "msiexec /i failed"
[[ $(products) == 1 ]] && pass "one iiskit product after 0.1.0 over 0.1.0-rc1 (same-version upgrade)" ||
	fail "$(products) iiskit products after 0.1.0 over 0.1.0-rc1: installed side by side"
[[ -f $EXE_DIR/iiskit.exe ]] && pass "C:\\Program Files\\iiskit\\iiskit.exe installed" || fail "iiskit.exe not installed"
[[ $(installed_version) == 0.1.0 ]] && pass "iiskit version: 0.1.0" || fail "iiskit version: $(installed_version)"
wine reg query "$ENV_KEY" /v PATH 2>/dev/null | grep -qF 'C:\Program Files\iiskit' && pass "system PATH holds C:\\Program Files\\iiskit" || fail "PATH: $(wine reg query "$ENV_KEY" /v PATH 2>&1)"
src=$(wine reg query "$SRC_KEY" 2>/dev/null || true)
if grep -qF 'EventMessageFile    REG_SZ    C:\Program Files\iiskit\iiskit.exe' <<<"$src" && grep -q 'TypesSupported    REG_DWORD    0x7' <<<"$src"; then
	pass "event source iiskit: message file iiskit.exe, TypesSupported 7"
else
	fail "event source: $src"
fi

say "WSFC Generic Script under Wine's cscript (iiskit.exe from the MSI, lab host on loopback)"
"$IISKIT" wsfc script --tag wsfc-web --site "$HOSTILE_ASCII" --type W3 --platform lab --lab "$LAB" \
	--retry-interval 50ms --probe-timeout 1s >"$WORK/generic.vbs"
cat "$WORK/generic.vbs" scripts/wine/wsfc-harness.vbs >"$WORK/run.vbs"
# wsfc ENTRY=RESULT... [-- STATE]: runs the entry points in one cscript and checks each
# printed result, the END sentinel, and the hostile site's state afterwards.
wsfc() {
	local want=() entries=() state
	while (($#)) && [[ $1 != -- ]]; do want+=("RESULT $1"); entries+=("${1%%=*}"); shift; done
	state=${2:-}
	wine cscript //nologo "$(winpath "$WORK/run.vbs")" "${entries[@]}" >"$WORK/cscript.log" 2>&1 || true
	local ok=1 w
	for w in "${want[@]}" END; do grep -qxF "$w" <(tr -d '\r' <"$WORK/cscript.log") || ok=0; done
	[[ -z $state || $(site_state 3) == "$state" ]] || ok=0
	if ((ok)); then
		pass "${want[*]#RESULT } site ${state:-?}"
	else
		fail "want ${want[*]#RESULT } site ${state:-?}, got site $(site_state 3):"; tr -d '\r' <"$WORK/cscript.log"
	fi
}
wsfc Open=0 LooksAlive=False -- Stopped
wsfc Open=0 Online=0 LooksAlive=True IsAlive=True -- Started
lab site "$HOSTILE_ASCII" state Stopped
wsfc Open=0 LooksAlive=False IsAlive=False -- Stopped
wsfc Open=0 Online=0 LooksAlive=True -- Started
lab site "$HOSTILE_ASCII" respond hang
wsfc Open=0 LooksAlive=True IsAlive=False -- Started
lab site "$HOSTILE_ASCII" respond ok
wsfc Open=0 Offline=0 LooksAlive=False Close=0 -- Stopped
wsfc Open=0 Online=0 Terminate=0 Close=0 -- Stopped
[[ $(site_state 1) == Stopped && $(site_state 2) == Stopped && ! -e $WORK/pwned ]] && pass "site Web untouched; no command ran from the name" || fail "another site changed"
grep -q '^LOG iiskit wsfc-web: Online: iiskit exit status 0' <(tr -d '\r' <"$WORK/cscript.log") &&
	pass "the script logs through Resource.LogInformation" || fail "no Resource.LogInformation lines"

say "LooksAlive's wall time under Wine (site Started; 9 runs in one script host)"
lab site "$HOSTILE_ASCII" state Started
wine cscript //nologo "$(winpath "$WORK/run.vbs")" Open time:9 >"$WORK/time.log" 2>&1 || true
times=$(tr -d '\r' <"$WORK/time.log" | sed -n 's/^TIME //p' | sort -n)
if [[ $(wc -l <<<"$times") == 9 ]] && ! grep -q 'timed LooksAlive=False' "$WORK/time.log"; then
	pass "LooksAlive wall time under Wine: median $(sed -n 5p <<<"$times") ms (min $(head -1 <<<"$times"), max $(tail -1 <<<"$times")) over 9 runs, load average $(cut -d' ' -f1 /proc/loadavg)"
else
	fail "timing run:"; cat "$WORK/time.log"
fi

say "MSI 0.1.1 (signed): upgrade replaces 0.1.0, then uninstall"
wine msiexec /i "$(winpath "$MSI1")" /qn && pass "msiexec /i 0.1.1 exit 0" || fail "msiexec /i 0.1.1 failed"
[[ $(installed_version) == 0.1.1 ]] && pass "iiskit version after the upgrade: 0.1.1" || fail "version after upgrade: $(installed_version)"
[[ $(products) == 1 ]] && pass "one iiskit product installed after the upgrade" || fail "$(products) iiskit products installed"
if wine msiexec /i "$(winpath "$MSI0")" /qn >/dev/null 2>&1; then fail "msiexec /i 0.1.0 over 0.1.1 succeeded"; else pass "a downgrade to 0.1.0 is refused"; fi
[[ $(installed_version) == 0.1.1 && $(products) == 1 ]] && pass "still 0.1.1, one product" || fail "after the downgrade attempt: $(installed_version), $(products) products"
wine msiexec /x "$(winpath "$MSI1")" /qn && pass "msiexec /x exit 0" || fail "msiexec /x failed"
[[ ! -e $EXE_DIR/iiskit.exe ]] && pass "iiskit.exe removed" || fail "iiskit.exe still there"
wine reg query "$ENV_KEY" /v PATH 2>/dev/null | grep -qF 'iiskit' && fail "PATH still holds iiskit" || pass "PATH no longer holds iiskit"
wine reg query "$SRC_KEY" >/dev/null 2>&1 && fail "event source key still there" || pass "event source key removed"
wine reg query 'HKLM\SOFTWARE\iiskit' >/dev/null 2>&1 && fail "HKLM\SOFTWARE\iiskit still there" || pass "HKLM\SOFTWARE\iiskit removed"
[[ $(products) == 0 ]] && pass "no iiskit product left" || fail "$(products) iiskit products left"

echo
((fails == 0)) || { echo "winkit.sh: $fails check(s) failed"; exit 1; }
echo "winkit.sh: all checks passed"
