#!/usr/bin/env bash
# Sets up, builds and runs every test of one preset (default: "default"), or of
# each preset named. Exits non-zero if any build or test fails.
# Usage: scripts/test.sh [default|asan ...]
set -euo pipefail
cd "$(dirname "$0")/.."
presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(default)

status=0
for preset in "${presets[@]}"; do
    echo "=== SynAck tests, preset '$preset'"
    scripts/build.sh "$preset"
    if ! ctest --preset "$preset" -j "$(nproc)"; then
        status=1
    fi
done
exit $status
