#!/usr/bin/env bash
# The soak (docs/reliability.md): builds synack-server and synack-soak, starts
# a headless server with --history on a free loopback port, runs the soak
# load against it for MINUTES, stops the server with SIGTERM, and writes the
# report. Exits non-zero if an invariant failed, or if the server did not
# shut down cleanly. Everything is kept in build/soak/<time>/: report.md,
# server.log (JSON Lines), history.jsonl, server.stderr, soak.stderr.
# Usage: scripts/soak.sh MINUTES [synack-soak options...]
# Environment: SOAK_WRAPPER runs the server under a tool (scripts/valgrind-soak.sh);
#   SOAK_HEARTBEAT_MS, SOAK_TIMEOUT_MS, SOAK_HELLO_TIMEOUT_MS (1000, 3000, 2000)
#   set the server's timers, SOAK_SENDQ_BYTES its send queue limit (its default).
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-}
case $minutes in '' | *[!0-9.]*)
    echo "usage: scripts/soak.sh MINUTES [synack-soak options...]" >&2
    exit 2
    ;;
esac
shift

heartbeat_ms=${SOAK_HEARTBEAT_MS:-1000}
timeout_ms=${SOAK_TIMEOUT_MS:-3000}
hello_timeout_ms=${SOAK_HELLO_TIMEOUT_MS:-2000}
sendq=()
[ -z "${SOAK_SENDQ_BYTES:-}" ] || sendq=(--sendq-bytes "$SOAK_SENDQ_BYTES")
read -r -a wrapper <<<"${SOAK_WRAPPER:-}"

scripts/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)" --target synack-server synack-soak
bin=build/default
server=$bin/app-server/synack-server
driver=$bin/tests/soak/synack-soak

out=build/soak/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
history=$out/history.jsonl
log=$out/server.log

"${wrapper[@]}" "$server" --headless --bind 127.0.0.1 --port 0 --no-discovery \
    --log-format json --history "$history" --heartbeat-ms "$heartbeat_ms" \
    --timeout-ms "$timeout_ms" --hello-timeout-ms "$hello_timeout_ms" "${sendq[@]}" \
    >"$log" 2>"$out/server.stderr" &
server_pid=$!
cleanup() {
    if kill -0 "$server_pid" 2>/dev/null; then
        kill -KILL "$server_pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT

port=
for _ in $(seq 600); do # up to 60 s: valgrind starts slowly
    port=$(sed -n 's/.*"event":"listening".*"port":\([0-9]*\).*/\1/p;s/.*"port":\([0-9]*\).*"event":"listening".*/\1/p' "$log" | head -1)
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$port" ]; then
    echo "soak: the server did not start; its stderr:" >&2
    cat "$out/server.stderr" >&2
    exit 1
fi
echo "=== soak: $minutes min against synack-server pid $server_pid on 127.0.0.1:$port (in $out)"

status=0
"$driver" --port "$port" --server-pid "$server_pid" --history "$history" --server-log "$log" \
    --report "$out/report.md" --minutes "$minutes" --hello-timeout-ms "$hello_timeout_ms" \
    --timeout-ms "$timeout_ms" "$@" 2>"$out/soak.stderr" || status=$?

# A clean shutdown is part of the verdict (and lets valgrind write its report).
kill -TERM "$server_pid" 2>/dev/null || true
server_status=0
for _ in $(seq 1200); do # up to 120 s: valgrind's leak check takes a while
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
if kill -0 "$server_pid" 2>/dev/null; then
    echo "soak: the server did not exit within 120 s of SIGTERM" | tee -a "$out/report.md"
    status=1
else
    wait "$server_pid" || server_status=$?
    if [ "$server_status" -ne 0 ]; then
        echo "soak: the server exited with status $server_status after SIGTERM" |
            tee -a "$out/report.md"
        status=1
    fi
fi
trap - EXIT
echo "soak: report in $out/report.md; exit $status"
exit $status
