#!/usr/bin/env bash
# Takes the screenshots in docs/images/: the server window under a virtual
# screen (Xvfb) with three synack-client --cli processes chatting on
# loopback, then again after an Abort of carol (RST: CLOSED at once, no
# TIME_WAIT) and a Disconnect of bob (bye, then FIN: the server's side counts
# TIME_WAIT down). When bob's client wins the race and closes first (the
# server then passes CLOSE_WAIT instead), the run is made again.
#
# The window takes its own pictures (SYNACK_SCREENSHOT_PLAN, see
# app-server/window/screenshotplan.h), so no screen grabber is needed. It
# remembers nothing of this run: its settings go to a temporary folder.
# Usage: scripts/screenshots.sh [preset]   (default: "default")
#        SYNACK_LANG=zh_CN scripts/screenshots.sh   the windows in Chinese (*-zh_CN.png)
#        SYNACK_NO_BUILD=1 scripts/screenshots.sh   uses the programs already built
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}
bin=build/$preset
port=${SYNACK_SCREENSHOT_PORT:-19527}
out=docs/images

scripts/setup.sh
if [ -z "${SYNACK_NO_BUILD:-}" ]; then
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j2 --target synack-server synack-client >/dev/null
fi
mkdir -p "$out"

scratch=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$scratch"
}
trap cleanup EXIT

lang=${SYNACK_LANG:-}
suffix=${lang:+-$lang}
lang_args=()
[ -n "$lang" ] && lang_args=(--lang "$lang")
plan="clients:3;wait:5000;select:bob;wait:1500;shot:$out/server-window$suffix.png"
plan+=";select:carol;action:abort;wait:500;select:bob;action:disconnect;wait:3000"
plan+=";expect:bob:TIME_WAIT;show:socketLog;wait:300;shot:$out/server-window-closing$suffix.png;quit"

# One client: says its lines over and over, about one a second, for at most
# 40 s, then stays quiet until the end.
chat() {
    local nick=$1
    shift
    {
        for round in 1 2 3; do
            for line in "$@"; do
                echo "$line"
                sleep 1.3
            done
        done
        sleep 30
    } | "$bin/app-client/synack-client" --cli --host 127.0.0.1 --port "$port" \
        --nick "$nick" --no-reconnect >/dev/null 2>&1 &
    pids+=("$!")
}

# The window on a screen of its own, listening on all interfaces as on a LAN
# (the clients come over loopback), and three clients; the window's status.
run_once() {
    XDG_CONFIG_HOME=$scratch SYNACK_SCREENSHOT_PLAN=$plan \
        xvfb-run -a -s "-screen 0 1920x1080x24" \
        "$bin/app-server/synack-server" --port "$port" --no-discovery \
        --name "Lab server" --heartbeat-ms 1000 "${lang_args[@]}" &
    local server=$!
    pids+=("$server")
    for _ in $(seq 100); do
        ss -ltnH "sport = :$port" | grep -q . && break
        sleep 0.1
    done
    chat alice "hi all" "is the lab server up?" "I see three of us in the room" \
        "watch bob's row when the server disconnects him"
    sleep 0.3
    chat bob "hello alice" "yes, connected from my laptop" \
        "my RTT is well under a millisecond" "what does the inspector show for me?"
    sleep 0.3
    chat carol "hey" "carol here" "I'll be the one that gets the RST" "bye then"
    local status=0
    wait "$server" || status=$?
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    pids=()
    return $status
}

for attempt in 1 2 3 4 5; do
    if run_once; then
        break
    fi
    echo "screenshots: attempt $attempt did not show what it should; again"
    [ "$attempt" -lt 5 ] || exit 1
done
echo "screenshots: $(ls "$out"/server-window*.png | tr '\n' ' ')"

# The client window's pictures (issue 8) come from a script of their own.
client_window_screenshots() {
    scripts/screenshots-client.sh "$preset"
}
client_window_screenshots
