#!/usr/bin/env bash
# Takes the client window's screenshots in docs/images/: a conversation
# (client-window.png) and the connection panel after a Disconnect, with
# this side in TIME_WAIT (client-after-disconnect.png).
#
# One program does it all in one process (tests/clientwindow/
# clientwindow_screenshots.cpp): a server, alice's and bob's windows, a third
# person chatting; the windows grab themselves, so no screen is needed
# (QT_QPA_PLATFORM=offscreen). It remembers nothing of the run.
# Usage: scripts/screenshots-client.sh [preset]   (default: "default")
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}
out=docs/images

scripts/setup.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j2 --target clientwindow_screenshots >/dev/null
mkdir -p "$out"
QT_QPA_PLATFORM=offscreen "build/$preset/tests/clientwindow/clientwindow_screenshots" "$out" \
    ${SYNACK_LANG:+"$SYNACK_LANG"}
