#!/usr/bin/env bash
# Runs every test of iiskit on a Debian machine with Go: formatting and vet (Linux and
# Windows builds), the whole test suite with the race detector (unit, lab host, end-to-end
# with the real binary, probes against real nginx, vsftpd and OpenSMTPD started here on
# loopback), short fuzzing runs, the Windows build's tests under Wine, the Windows kit
# (LifeKeeper and WSFC wrappers, the MSI, signing), and the OCF agent failing a site over
# in a two-node Pacemaker cluster (scripts/cluster.sh).
# It installs the Debian packages it needs (as root, or through sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

# An execution count, not a duration: with a duration, Go 1.26's fuzz coordinator can
# report a spurious "context deadline exceeded" at the deadline on a loaded machine
# (golang/go#75804, fixed in Go 1.27).
FUZZTIME=${FUZZTIME:-200000x}
failures=()
passed=0
step() { printf '\n==> %s\n' "$*"; }
check() { # check NAME COMMAND...: run, remember a failure, go on
	local name=$1
	shift
	if "$@"; then passed=$((passed + 1)); else failures+=("$name"); fi
}

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then
	echo "not gofmt'ed:"; echo "$unformatted"; failures+=(gofmt)
else
	passed=$((passed + 1))
fi

step "go vet (linux, windows) and the Windows build"
check "go vet" go vet ./...
check "windows build" env GOOS=windows GOARCH=amd64 go build ./...
check "windows vet" env GOOS=windows GOARCH=amd64 go vet ./...

step "real peers on loopback (nginx, vsftpd, OpenSMTPD)"
peers=$(mktemp -d /tmp/iiskit-peers.XXXXXX)
trap 'bash scripts/peers.sh stop "$peers" >/dev/null 2>&1 || true' EXIT
if bash scripts/peers.sh start "$peers"; then
	export IISKIT_PEERS="$peers/peers.env"
	passed=$((passed + 1))
else
	failures+=("peers")
fi

step "headless Chromium (the watch status page test)"
install_chromium() {
	command -v chromium >/dev/null 2>&1 && return 0
	local sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	"${sudo[@]}" apt-get update -qq && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
}
check "chromium" install_chromium

step "go test -race ./..."
check "go test" go test -race -count=1 -timeout 20m ./...

step "fuzzing ($FUZZTIME each)"
check "fuzz bindings" go test -run '^$' -fuzz '^FuzzParseBinding$' -fuzztime "$FUZZTIME" ./internal/resource
check "fuzz FTP replies" go test -run '^$' -fuzz '^FuzzReadReply$' -fuzztime "$FUZZTIME" ./internal/probe
check "fuzz FTP password masking" go test -run '^$' -fuzz '^FuzzMaskedTranscript$' -fuzztime "$FUZZTIME" ./internal/probe
check "fuzz resource file" go test -run '^$' -fuzz '^FuzzParse$' -fuzztime "$FUZZTIME" ./internal/config
check "fuzz appcmd listings" go test -run '^$' -fuzz '^FuzzListingHostileSiteNames$' -fuzztime "$FUZZTIME" ./internal/winhost/appcmd

step "the Windows build under Wine"
check "wine" bash scripts/wine.sh

step "the Windows kit: LifeKeeper and WSFC wrappers, the MSI, signing"
check "windows kit" bash scripts/winkit.sh

step "a two-node Pacemaker cluster failing a site over (OCF agent)"
check "cluster" bash scripts/cluster.sh

echo
[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "checks: $passed passed, ${#failures[@]} failed"
[ ${#failures[@]} -eq 0 ]
