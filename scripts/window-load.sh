#!/usr/bin/env bash
# The server window under load, on a virtual screen (Xvfb): synack-bench's
# rate scenario with 1,000 clients and 1,000 messages a second in total,
# which is a million deliveries a second. The window takes two pictures of
# itself while the load runs (the clients table, then the socket log) and
# closes; synack-bench prints loss, latency and the server's CPU.
# As in docs/benchmarks.md: the server pinned to CPU 0, the load to CPU 1.
# Usage: scripts/window-load.sh [preset] [picture prefix]
#        (defaults: "default", /tmp/window-load; writes PREFIX-1.png, -2.png)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}
prefix=${2:-/tmp/window-load}
bin=build/$preset
port=${SYNACK_LOAD_PORT:-19640}

cmake --build --preset "$preset" -j2 --target synack-server synack-bench >/dev/null
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
pin_server=() pin_load=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
    pin_server=(taskset -c 0) pin_load=(taskset -c 1)
fi

plan="clients:1000;wait:8000;shot:$prefix-1.png;show:socketLog;wait:4000"
plan+=";shot:$prefix-2.png;wait:15000;quit"
XDG_CONFIG_HOME=$scratch SYNACK_SCREENSHOT_PLAN=$plan \
    xvfb-run -a -s "-screen 0 1600x1000x24" \
    "${pin_server[@]}" "$bin/app-server/synack-server" --port "$port" --flood-rate 0 \
    --no-discovery &
server=$!
for _ in $(seq 100); do
    ss -ltnH "sport = :$port" | grep -q . && break
    sleep 0.1
done
# xvfb-run's child is the server: its PID is the one whose CPU counts.
server_pid=$(pgrep -n -f "synack-server --port $port" || echo "$server")
"${pin_load[@]}" "$bin/tests/bench/synack-bench" rate --port "$port" \
    --server-pid "$server_pid" --clients 1000 --messages 25 --rate 1000 --max-seconds 120
wait "$server"
