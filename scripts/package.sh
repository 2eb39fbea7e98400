#!/usr/bin/env bash
# Builds iiskit's Windows package: dist/iiskit.exe (windows/amd64, version stamped) and
# dist/iiskit-<version>-x64.msi (wixl, from packaging/iiskit.wxs). With --sign-cert and
# --sign-key, both are Authenticode signed (osslsigncode, SHA-256), the exe before it goes
# into the MSI; --timestamp-url adds a timestamp (it needs the network). Rebuilding
# replaces earlier output. Installs wixl, msitools and osslsigncode when missing (root).
#
#   bash scripts/package.sh [--version X.Y.Z[-suffix]] [--sign-cert CERT --sign-key KEY]
#                           [--timestamp-url URL] [--out DIR]
#
# The version is --version, else $IISKIT_VERSION, else packaging/VERSION. The MSI carries
# its X.Y.Z (Windows Installer's form); `iiskit version` reports the whole string.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
version=${IISKIT_VERSION:-$(tr -d ' \r\n' <packaging/VERSION)}
cert= key= tsurl= out=dist
while (($#)); do
	case $1 in
	--version) version=${2:?}; shift 2 ;;
	--sign-cert) cert=${2:?}; shift 2 ;;
	--sign-key) key=${2:?}; shift 2 ;;
	--timestamp-url) tsurl=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	-h | --help) usage ;;
	*) echo "package.sh: unknown argument $1" >&2; usage ;;
	esac
done
if [[ -n $cert || -n $key ]] && [[ -z $cert || -z $key ]]; then
	echo "package.sh: --sign-cert and --sign-key go together" >&2; exit 2
fi
if [[ -n $tsurl && -z $cert ]]; then
	echo "package.sh: --timestamp-url needs --sign-cert and --sign-key" >&2; exit 2
fi
# Windows Installer versions are major.minor.build, at most 255.255.65535.
if [[ ! $version =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)([-+][0-9A-Za-z.+-]*)?$ ]] ||
	((BASH_REMATCH[1] > 255 || BASH_REMATCH[2] > 255 || BASH_REMATCH[3] > 65535)); then
	echo "package.sh: version \"$version\" is not X.Y.Z[-suffix] with X, Y <= 255 and Z <= 65535" >&2
	exit 2
fi
msiversion="${BASH_REMATCH[1]}.${BASH_REMATCH[2]}.${BASH_REMATCH[3]}"

need=()
command -v wixl >/dev/null || need+=(wixl)
command -v msibuild >/dev/null || need+=(msitools)
[[ -z $cert ]] || command -v osslsigncode >/dev/null || need+=(osslsigncode)
if ((${#need[@]})); then
	echo "package.sh: installing ${need[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

stage=$(mktemp -d /tmp/iiskit-package.XXXXXX)
trap 'rm -rf "$stage"' EXIT

sign() { # sign IN OUT: Authenticode, SHA-256
	local ts=()
	[[ -z $tsurl ]] || ts=(-t "$tsurl")
	osslsigncode sign -certs "$cert" -key "$key" -h sha256 -n iiskit -i https://github.com/iiskit/iiskit \
		"${ts[@]}" -in "$1" -out "$2" >/dev/null
}

echo "package.sh: iiskit.exe $version (windows/amd64)"
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -trimpath \
	-ldflags "-s -w -X github.com/iiskit/iiskit/internal/cli.Version=$version" \
	-o "$stage/unsigned.exe" ./cmd/iiskit
if [[ -n $cert ]]; then
	sign "$stage/unsigned.exe" "$stage/iiskit.exe"
else
	mv "$stage/unsigned.exe" "$stage/iiskit.exe"
fi

echo "package.sh: iiskit-$version-x64.msi (ProductVersion $msiversion)"
cp packaging/iiskit.wxs "$stage/"
# wixl finds File/@Source relative to the current folder.
(cd "$stage" && wixl -a x64 -D Version="$msiversion" -o unsigned.msi iiskit.wxs 2>wixl.log) ||
	{ cat "$stage/wixl.log" >&2; exit 1; }
# The system PATH: wixl 0.101 cannot build WiX's <Environment>, so the Environment table
# and its two standard actions are added here. "=-*PATH" = set on install, remove on
# uninstall, system variable; "[~];..." appends to the existing value.
q() { msibuild "$stage/unsigned.msi" -q "$1"; }
q 'CREATE TABLE `Environment` (`Environment` CHAR(72) NOT NULL, `Name` CHAR(255) NOT NULL LOCALIZABLE, `Value` CHAR(255) LOCALIZABLE, `Component_` CHAR(72) NOT NULL PRIMARY KEY `Environment`)'
q "INSERT INTO \`Environment\` (\`Environment\`, \`Name\`, \`Value\`, \`Component_\`) VALUES ('SystemPath', '=-*PATH', '[~];[INSTALLFOLDER]', 'SystemPath')"
q "INSERT INTO \`InstallExecuteSequence\` (\`Action\`, \`Sequence\`) VALUES ('RemoveEnvironmentStrings', 3300)"
q "INSERT INTO \`InstallExecuteSequence\` (\`Action\`, \`Sequence\`) VALUES ('WriteEnvironmentStrings', 5200)"
# Same-version upgrades: a build of the same X.Y.Z (0.1.0-rc1, then 0.1.0) replaces the
# earlier one. WiX's MajorUpgrade/@AllowSameVersionUpgrades makes the upgrade row's
# VersionMax inclusive (msidbUpgradeAttributesVersionMaxInclusive, 512); wixl 0.101 ignores
# the attribute, so the row is written again here (Attributes is part of the table's key:
# delete, then insert) and checked, whatever wixl did.
# upgrade_row prints that row's fields separated by '|' (a tab is whitespace to read, and
# would merge the empty fields).
upgrade_row() { msiinfo export "$stage/unsigned.msi" Upgrade | tr -d '\r' | awk -F'\t' -v OFS='|' '$7 == "WIX_UPGRADE_DETECTED" { $1 = $1; print }'; }
IFS='|' read -r ucode vmin vmax lang attrs remove _ <<<"$(upgrade_row)"
if [[ -z ${attrs:-} || $vmax != "$msiversion" ]]; then
	echo "package.sh: no upgrade row for $msiversion in the Upgrade table (MajorUpgrade)" >&2; exit 1
fi
if ((!(attrs & 512))); then
	q "DELETE FROM \`Upgrade\` WHERE \`ActionProperty\` = 'WIX_UPGRADE_DETECTED'"
	q "INSERT INTO \`Upgrade\` (\`UpgradeCode\`, \`VersionMin\`, \`VersionMax\`, \`Language\`, \`Attributes\`, \`Remove\`, \`ActionProperty\`) VALUES ('$ucode', '$vmin', '$vmax', '$lang', $((attrs | 512)), '$remove', 'WIX_UPGRADE_DETECTED')"
fi
IFS='|' read -r _ _ _ _ attrs _ <<<"$(upgrade_row)"
((attrs & 512)) || { echo "package.sh: the upgrade row is not VersionMaxInclusive (attributes $attrs)" >&2; exit 1; }
msi="iiskit-$version-x64.msi"
if [[ -n $cert ]]; then
	sign "$stage/unsigned.msi" "$stage/$msi"
else
	mv "$stage/unsigned.msi" "$stage/$msi"
fi

mkdir -p "$out"
rm -f "$out/iiskit.exe" "$out"/iiskit-*-x64.msi
cp "$stage/iiskit.exe" "$stage/$msi" "$out/"
echo "package.sh: wrote $out/iiskit.exe and $out/$msi$([[ -n $cert ]] && echo ", signed")"
