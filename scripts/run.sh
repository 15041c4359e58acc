#!/usr/bin/env bash
# Sets up, builds and starts SynAck.
# Usage: scripts/run.sh [demo]
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-demo}

scripts/build.sh default >/dev/null
bin=build/default

case "$mode" in
demo)
    echo "SynAck is built in $bin: the protocol library and its tests."
    echo "The server and client programs come next; run scripts/test.sh to test what is there."
    ;;
*)
    echo "usage: scripts/run.sh [demo]" >&2
    exit 2
    ;;
esac
