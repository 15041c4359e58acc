#!/usr/bin/env bash
# The server's own instructions per short session, counted by callgrind:
# deterministic, so a change of a few percent shows where wall-clock figures
# on a shared machine vary by a third. synack-bench churn (connect, register,
# one message, quit; 10 at once) runs 300 cycles to warm up (the room's
# backlog fills), then the counters are zeroed, 1,000 more cycles run, and
# the server's user-space instructions are divided by them. System calls and
# the kernel's share are not counted: docs/benchmarks.md section 5 has those.
#
# Usage: scripts/churn-profile.sh [SERVER_BINARY]   (needs valgrind)
#        SYNACK_PROFILE_OUT=FILE keeps the measured part's profile.
set -euo pipefail
cd "$(dirname "$0")/.."
server=${1:-build/default/app-server/synack-server}
bench=build/default/tests/bench/synack-bench
[ -x "$server" ] && [ -x "$bench" ] || { echo "build the default preset first (scripts/build.sh)" >&2; exit 1; }
command -v callgrind_control >/dev/null || { echo "valgrind is needed: apt-get install valgrind" >&2; exit 1; }

port=$((20000 + RANDOM % 20000))
out=$(mktemp -d)
trap 'kill -9 "$pid" 2>/dev/null || true; rm -rf "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.%n" \
    "$server" --headless --bind 127.0.0.1 --port "$port" --flood-rate 0 --no-discovery \
    >"$out/server.log" 2>&1 &
pid=$!
for _ in $(seq 300); do
    ss -Hltn "sport = :$port" | grep -q . && break
    sleep 0.1
done
cycles=1000
echo "warming up: 300 cycles"
"$bench" churn --port "$port" --cycles 300 >/dev/null
callgrind_control --zero "$pid" >/dev/null 2>&1
echo "measuring: $cycles cycles"
"$bench" churn --port "$port" --cycles "$cycles" | grep -E '^ +(cycles/s|failures)' || true
callgrind_control --dump "$pid" >/dev/null 2>&1
sleep 1
total=$(cat "$out"/callgrind.* | awk '/^totals:/ {s += $2} END {print s + 0}')
echo "server instructions per cycle: $((total / cycles))"
if [ -n "${SYNACK_PROFILE_OUT:-}" ]; then
    # The dump of the measured part is the largest file.
    cp "$(ls -S "$out"/callgrind.* | head -1)" "$SYNACK_PROFILE_OUT"
    echo "profile: $SYNACK_PROFILE_OUT (callgrind_annotate --inclusive=yes $SYNACK_PROFILE_OUT)"
fi
