#!/usr/bin/env bash
# Runs a command in a fresh network namespace that has only loopback, so WebRTC media between
# the test browsers can only use 127.0.0.1 (no host interface for ICE to find, so results do not
# depend on the machine's network). Root uses `unshare -n`; others -rn (a user namespace).
set -euo pipefail
if [ "$#" -eq 0 ]; then echo "usage: scripts/in-netns.sh COMMAND [ARGS…]" >&2; exit 2; fi
flags=-rn
[ "$(id -u)" = 0 ] && flags=-n
exec unshare "$flags" -- bash -c 'ip link set lo up && exec "$@"' in-netns "$@"
