#!/usr/bin/env bash
# Configures and builds one CMake preset (default: "default"), after making
# sure the packages it needs are installed.
# Usage: scripts/build.sh [default|asan]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}

scripts/setup.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
