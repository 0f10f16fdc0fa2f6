#!/usr/bin/env bash
# First step of `npm test` and `npm start` (README, "Two commands"): checks what the machine must
# provide besides node_modules. Missing Debian packages are installed when we are root and have
# apt-get (saying what is installed); otherwise the script stops at once with one line naming the
# exact command to run, instead of letting dozens of tests fail one by one.
#
#   scripts/system-deps.sh test    Node 20+, and the packages the tests run: chromium and
#                                  firefox-esr (browser tests), lua5.4 (the relay hook), python3-django (the Django app),
#                                  nginx, coturn, nftables (deploy checks), iproute2 + util-linux
#                                  (scripts/in-netns.sh)
#   scripts/system-deps.sh start   Node 20+ only: the development server needs nothing else
#
# The tests' own overrides are honoured: CHROMIUM_PATH, FIREFOX_PATH, VERTO_PEER_LUA, VERTO_PEER_PYTHON.
set -euo pipefail

purpose=${1:-}
case "$purpose" in
  test | start) ;;
  *) echo "usage: scripts/system-deps.sh test|start" >&2; exit 2 ;;
esac

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "npm $purpose needs Node.js 20 or newer (this is $(node --version 2>/dev/null || echo 'no node')): install a current Node.js, e.g. Debian 13's nodejs package" >&2
  exit 1
fi
[ "$purpose" = start ] && exit 0

# A program on PATH, or in the sbin directories a non-root PATH often lacks.
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }

missing_packages() {
  local missing=()
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
  [ -x "${FIREFOX_PATH:-/usr/bin/firefox-esr}" ] || missing+=(firefox-esr)
  have "${VERTO_PEER_LUA:-lua5.4}" || missing+=(lua5.4)
  "${VERTO_PEER_PYTHON:-/usr/bin/python3}" -c 'import django' >/dev/null 2>&1 || missing+=(python3-django)
  have nginx || missing+=(nginx)
  have turnserver || missing+=(coturn)
  have nft || missing+=(nftables)
  have ip || missing+=(iproute2)
  have unshare || missing+=(util-linux)
  echo "${missing[*]}"
}

packages=$(missing_packages)
[ -z "$packages" ] && exit 0

install="apt-get update && apt-get install -y $packages"
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "npm test needs the Debian packages $packages: run as root: $install" >&2
  exit 1
fi

echo "npm test: installing $packages from Debian (apt-get)"
# Installing nginx or coturn must not start a daemon listening on every interface: a policy-rc.d
# that refuses service starts (Debian's documented switch) is in place for the install only.
policy=/usr/sbin/policy-rc.d
log=$(mktemp)
cleanup() {
  rm -f "$log"
  [ -n "${made_policy:-}" ] && rm -f "$policy"
  return 0
}
trap cleanup EXIT
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
fi
# shellcheck disable=SC2086 # the package list is meant to split into words
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages; } >"$log" 2>&1; then
  tail -n 15 "$log" >&2
  echo "npm test: apt-get could not install $packages (its last lines are above)" >&2
  exit 1
fi

still=$(missing_packages)
if [ -n "$still" ]; then
  echo "npm test: $still still missing after apt-get install" >&2
  exit 1
fi
