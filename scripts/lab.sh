#!/usr/bin/env bash
# The slow-motion lab. On a normal loopback the TCP handshake and close take
# microseconds: SYN_SENT, SYN_RECV, FIN_WAIT_1 and LAST_ACK come and go
# between two looks of the kernel probe. This runs SynAck inside a private
# network namespace whose loopback is slowed by a traffic shaper (HTB: every
# segment waits its turn on a thin link), so those states last long enough
# to be seen as they happen.
#
# Usage: scripts/lab.sh [--rate RATE] [COMMAND...]
#   RATE     the loopback's speed, as tc writes it (default 16kbit: a bare
#            segment takes about 30 ms)
#   COMMAND  what to run inside (default: scripts/run.sh demo, the windows)
#
# It uses an unprivileged user namespace where the system allows it, else,
# as root, a plain network namespace. Where neither works it says why and
# runs the command on the normal loopback.
set -euo pipefail
cd "$(dirname "$0")/.."

rate=16kbit
if [ "${1:-}" = "--rate" ]; then
    rate=$2
    shift 2
fi
[ $# -gt 0 ] || set -- scripts/run.sh demo

if [ "${SYNACK_LAB_INSIDE:-}" = 1 ]; then
    # Inside the namespace: bring up its own loopback, then slow it down.
    ip link set lo up
    tc qdisc add dev lo root handle 1: htb default 10 2>/dev/null
    tc class add dev lo parent 1: classid 1:10 htb rate "$rate" burst 100 cburst 100 2>/dev/null
    echo "SynAck lab: a private loopback at $rate; every TCP state now lasts long enough to watch."
    exec "$@"
fi

scripts/build.sh default >/dev/null
export SYNACK_LAB_INSIDE=1
if unshare --user --map-root-user --net true 2>/dev/null; then
    exec unshare --user --map-root-user --net -- "$0" --rate "$rate" "$@"
elif [ "$(id -u)" -eq 0 ] && unshare --net true 2>/dev/null; then
    exec unshare --net -- "$0" --rate "$rate" "$@"
fi
unset SYNACK_LAB_INSIDE
echo "SynAck lab: network namespaces are not available here (unprivileged user" \
     "namespaces are off and this is not root), so the demo runs on the normal loopback." >&2
exec "$@"
