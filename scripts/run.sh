#!/usr/bin/env bash
# Sets up, builds and starts SynAck.
# Usage: scripts/run.sh [demo|lab] [--xvfb]
#
# lab: the demo inside a private network namespace with a slowed loopback
# (scripts/lab.sh), where SYN_SENT, FIN_WAIT_1, LAST_ACK ... last long
# enough to watch.
#
# demo: the server window and two client windows on this machine, already
# connected as alice and bob and greeting each other, so both ends of a
# connection can be watched at once. It needs a desktop session (DISPLAY or
# WAYLAND_DISPLAY); with --xvfb it runs on a virtual screen instead (nothing
# to look at, but it shows that everything starts). Close the windows, or
# press Ctrl-C here, to end it. The demo's windows remember nothing: their
# settings go to a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-demo}
[ $# -gt 0 ] && shift

usage() {
    echo "usage: scripts/run.sh [demo|lab] [--xvfb]" >&2
    exit 2
}

# The first free TCP port from $1 on.
free_port() {
    local port=$1
    while ss -ltnH "sport = :$port" | grep -q .; do
        port=$((port + 1))
    done
    echo "$port"
}

# Waits up to 10 s for something to listen on TCP port $1.
wait_listening() {
    for _ in $(seq 100); do
        ss -ltnH "sport = :$1" | grep -q . && return 0
        sleep 0.1
    done
    return 1
}

demo() {
    local bin=build/default port scratch
    port=$(free_port 9527)
    scratch=$(mktemp -d)
    pids=()
    cleanup() {
        for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
        wait 2>/dev/null || true
        rm -rf "$scratch"
    }
    trap cleanup EXIT
    trap 'exit 130' INT TERM

    # Where the client windows go: right of the server window, bob below alice.
    local alice_geometry=() bob_geometry=() size
    size=$(xdpyinfo 2>/dev/null | awk '/dimensions:/ { print $2; exit }') || true
    if [[ $size =~ ^([0-9]+)x([0-9]+)$ ]]; then
        local w=${BASH_REMATCH[1]} h=${BASH_REMATCH[2]}
        local cw=$((w * 62 / 100)) ch=$((h * 78 / 100))
        alice_geometry=(-geometry "${cw}x${ch}+$((w - cw - 80))+0")
        bob_geometry=(-geometry "${cw}x${ch}+$((w - cw))+$((h - ch - 60))")
    fi

    echo "SynAck demo: the server on port $port, alice and bob connected to it."
    echo "Close any of its windows, or press Ctrl-C here, to end it."
    mkdir -p "$scratch/server" "$scratch/alice" "$scratch/bob"
    XDG_CONFIG_HOME=$scratch/server "$bin/app-server/synack-server" --port "$port" \
        --name "demo on $(hostname)" --heartbeat-ms 2000 \
        --motd "Welcome! This is a demo room on your own machine." &
    pids+=("$!")
    wait_listening "$port" || { echo "run.sh demo: the server did not start" >&2; exit 1; }

    XDG_CONFIG_HOME=$scratch/alice "$bin/app-client/synack-client" "${alice_geometry[@]}" \
        --host 127.0.0.1 --port "$port" --nick alice --connect \
        --say "Hi! I'm alice. Type below and press Enter; the Connection panel on the right shows this connection's TCP states." &
    pids+=("$!")
    sleep 1.5
    XDG_CONFIG_HOME=$scratch/bob "$bin/app-client/synack-client" "${bob_geometry[@]}" \
        --host 127.0.0.1 --port "$port" --nick bob --connect \
        --say "Hello alice! Try Disconnect (FIN) in the panel and watch TIME_WAIT count down." &
    pids+=("$!")

    # Over when any window is closed; the others are closed with it.
    wait -n "${pids[@]}" || true
}

case "$mode" in
demo)
    xvfb=false
    for arg in "$@"; do
        case "$arg" in
        --xvfb) xvfb=true ;;
        *) usage ;;
        esac
    done
    if [ -z "${SYNACK_DEMO_BUILT:-}" ]; then
        scripts/build.sh default >/dev/null
    fi
    if $xvfb; then
        SYNACK_DEMO_BUILT=1 exec xvfb-run -a -s "-screen 0 1920x1080x24" "$0" demo
    fi
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
        echo "run.sh demo: there is no display to open the windows on (DISPLAY is not set)." >&2
        echo "Run it in a terminal of your desktop session, or on a virtual screen with" >&2
        echo "  scripts/run.sh demo --xvfb" >&2
        echo "(or chat in terminals: see \"Chat between two terminals\" in README.md)." >&2
        exit 1
    fi
    demo
    ;;
lab)
    # The demo in slow motion: a private network namespace whose loopback is
    # slowed down, so handshakes and closes can be watched state by state.
    exec scripts/lab.sh "$0" demo "$@"
    ;;
*)
    usage
    ;;
esac
