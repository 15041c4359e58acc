#!/usr/bin/env bash
# The soak with the server under valgrind memcheck (docs/reliability.md):
# scripts/soak.sh with the server wrapped in
#   valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1
# slower timers for a server that runs some twenty times slower, a lighter
# load, patient checks and no RSS judgement (valgrind's own memory dominates).
# At the end the server gets SIGTERM, shuts down, and valgrind writes its
# report; any invalid access or definite leak makes its exit status, and so
# this script's, non-zero. Not run by CI (too slow for its budget).
# Usage: scripts/valgrind-soak.sh [MINUTES]   (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-2}

if ! command -v valgrind >/dev/null; then
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq valgrind
fi
mkdir -p build/soak
vglog=$PWD/build/soak/valgrind-$(date +%Y%m%d-%H%M%S).log
export SOAK_WRAPPER="valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1 --num-callers=30 --log-file=$vglog"
export SOAK_HEARTBEAT_MS=3000 SOAK_TIMEOUT_MS=10000 SOAK_HELLO_TIMEOUT_MS=5000
status=0
scripts/soak.sh "$minutes" --patience 10 --no-rss-check --stayers 3 || status=$?
echo "=== valgrind: $vglog"
grep -E "ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|still reachable|Invalid|uninitialised" "$vglog" |
    sed 's/^==[0-9]*== //' | sort | uniq -c | sort -rn | head -20
exit $status
