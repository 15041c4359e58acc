#!/usr/bin/env bash
# The Wireshark dissector (resources/wireshark/synack.lua) on a capture of a
# real session: synack-server --headless on 9527 and two synack-client --cli
# sessions are captured on loopback with tshark, and the capture is decoded
# with `tshark -X lua_script:...`. A second server on another port (a third
# client) is decoded by the heuristic alone; a TLS session (openssl, when
# installed) is left to TLS, and read as SynAck inside with its keys.
# Hostile frames and a malformed TLS record (made with text2pcap) must give
# expert info, never a Lua error.
#
# It runs in a network namespace of its own, whose loopback has an MTU of
# 1500 and sends no larger segments (gso_max_size; loopback would otherwise
# pass a 6000-byte write as one packet): a 6000-byte line then spans several
# segments, so the dissector must reassemble it. Port 9527 is free there.
# Usage: test-dissector.sh SERVER CLIENT DISSECTOR
set -euo pipefail

if ! command -v tshark >/dev/null; then
    echo "SKIP: tshark is not installed (scripts/setup.sh installs it)"
    exit 77
fi
if [ -z "${SYNACK_DISSECTOR_NETNS:-}" ]; then
    export SYNACK_DISSECTOR_NETNS=1
    namespace=(unshare --net)
    [ "$(id -u)" -eq 0 ] || namespace=(unshare --user --map-root-user --net)
    if ! "${namespace[@]}" true 2>/dev/null; then
        echo "SKIP: cannot create a network namespace (${namespace[*]})"
        exit 77
    fi
    exec "${namespace[@]}" bash -c 'ip link set lo mtu 1500 gso_max_size 1500 up && exec bash "$@"' _ "$0" "$@"
fi

server=$1
client=$2
dissector=$3
scratch=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$scratch"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*"
    # SYNACK_KEEP_CAPTURE=FILE keeps the capture of a failed run.
    [ -z "${SYNACK_KEEP_CAPTURE:-}" ] || cp "$scratch/session.pcapng" "$SYNACK_KEEP_CAPTURE" || true
    exit 1
}

# wait_for FILE REGEX SECONDS: until a line of FILE (as it grows) matches.
wait_for() {
    timeout "$3" grep -m1 -q -E "$2" <(tail -n +1 -f "$1")
}
# wait_exit PID SECONDS: until the process has ended.
wait_exit() {
    timeout "$2" tail --pid="$1" -f /dev/null
}
start_server() { # PORT LOG VARIABLE: the port it listens on goes into VARIABLE
    : >"$2" # before wait_for follows it
    "$server" --headless --bind 127.0.0.1 --port "$1" --no-discovery --log-format json \
        >>"$2" 2>&1 &
    pids+=($!)
    wait_for "$2" '"event":"listening"' 10 || { cat "$2"; fail "the server did not listen"; }
    printf -v "$3" '%s' "$(grep -o '"port":[0-9]*' "$2" | head -1 | cut -d: -f2)"
}
# decode TSHARK_ARGS...: the capture through the dissector.
decode() {
    tshark -r "$scratch/session.pcapng" -X lua_script:"$dissector" "$@" 2>&1
}
# expect COUNT FILTER [TSHARK_ARGS...]: FILTER matches COUNT packets.
expect() {
    local want=$1 filter=$2
    shift 2
    local got
    got=$(decode -Y "$filter" -T fields -e frame.number "$@" | grep -c -x -E '[0-9]+' || true)
    [ "$got" = "$want" ] || { decode -Y "$filter" "$@" | head -5 || true; fail "$filter: $got packets, not $want"; }
    echo "ok: $filter ($got)"
}

# The capture, before any connection. Each packet's FIN flag is printed as it
# is written, so the end of the sessions can be awaited in that list.
start_server 9527 "$scratch/server.log" port
start_server 0 "$scratch/other.log" other_port
: >"$scratch/live.txt"
: >"$scratch/tshark.err"
tshark -i lo -f tcp -w "$scratch/session.pcapng" -P -l -T fields -e tcp.flags.fin \
    >>"$scratch/live.txt" 2>>"$scratch/tshark.err" &
capture=$!
pids+=($capture)
# "Capture started" comes once dumpcap has the interface open and has made
# the file ("Capturing on" comes before that).
wait_for "$scratch/tshark.err" 'Capture started' 10 || { cat "$scratch/tshark.err"; fail "tshark did not capture"; }

# alice stays online (her input is a FIFO) while bob comes and says something,
# so bob's welcome lists both; then alice says "hi" and a 6000-byte line.
mkfifo "$scratch/alice.in"
: >"$scratch/alice.log"
"$client" --cli --host 127.0.0.1 --port "$port" --nick alice <"$scratch/alice.in" \
    >>"$scratch/alice.log" 2>&1 &
alice=$!
pids+=($alice)
exec 3>"$scratch/alice.in"
wait_for "$scratch/server.log" '"event":"registered".*"nick":"alice"' 10 ||
    { cat "$scratch/server.log"; fail "alice did not register"; }
printf 'hello from bob\n' |
    timeout 20 "$client" --cli --host 127.0.0.1 --port "$port" --nick bob >"$scratch/bob.log" 2>&1 ||
    { cat "$scratch/bob.log"; fail "bob's client"; }
wait_for "$scratch/alice.log" '<bob> hello from bob' 10 || { cat "$scratch/alice.log"; fail "alice did not get bob's message"; }
long=$(printf '0123456789%.0s' $(seq 1 600))
printf 'hi\n%s\n' "$long" >&3
exec 3>&-
wait_exit "$alice" 20 || fail "alice's client did not end"
wait "$alice" || { cat "$scratch/alice.log"; fail "alice's client failed"; }
grep -q "<alice> $long" "$scratch/alice.log" || { cat "$scratch/alice.log"; fail "the long line did not come back"; }

# carol on the other port: only the heuristic can tell it is SynAck.
printf 'carol was here\n' |
    timeout 20 "$client" --cli --host 127.0.0.1 --port "$other_port" --nick carol >"$scratch/carol.log" 2>&1 ||
    { cat "$scratch/carol.log"; fail "carol's client"; }

# A TLS connection (docs/protocol.md section 12) from openssl s_client to
# s_server on port 9443: a hello and a 6000-byte say, whose TLS record spans
# several segments. The client's key log lets tshark decrypt them.
sessions=3
if command -v openssl >/dev/null; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=synack-test \
        -keyout "$scratch/key.pem" -out "$scratch/cert.pem" 2>/dev/null || fail "openssl req"
    mkfifo "$scratch/tls-server.in"
    exec 4<>"$scratch/tls-server.in" # s_server's input stays open
    : >"$scratch/tls-server.log"
    openssl s_server -accept 127.0.0.1:9443 -cert "$scratch/cert.pem" -key "$scratch/key.pem" \
        <"$scratch/tls-server.in" >>"$scratch/tls-server.log" 2>&1 &
    pids+=($!)
    wait_for "$scratch/tls-server.log" ACCEPT 10 || { cat "$scratch/tls-server.log"; fail "s_server did not listen"; }
    # {t: "hello", v: 1, nick: "alice"} (docs/protocol.md, 11), {t: "say", text: $long}
    { printf '\x00\x00\x00\x17\xa3\x61\x74\x65\x68\x65\x6c\x6c\x6f\x61\x76\x01\x64\x6e\x69\x63\x6b\x65\x61\x6c\x69\x63\x65'
      printf '\x00\x00\x17\x7f\xa2\x61\x74\x63\x73\x61\x79\x64\x74\x65\x78\x74\x79\x17\x70%s' "$long"
    } | timeout 10 openssl s_client -connect 127.0.0.1:9443 -keylogfile "$scratch/keys.log" -quiet -no_ign_eof \
        >"$scratch/tls-client.log" 2>&1 || { cat "$scratch/tls-client.log"; fail "s_client"; }
    sessions=4
else
    echo "no openssl: the TLS case is left out"
fi

# Every session, two FINs each.
fins=$(timeout 10 grep --line-buffered -m $((2 * sessions)) -x -E '1|True' <(tail -n +1 -f "$scratch/live.txt") | wc -l || true)
[ "$fins" = $((2 * sessions)) ] || { cat "$scratch/live.txt"; fail "the capture saw $fins FINs, not $((2 * sessions))"; }
kill -INT "$capture"
wait_exit "$capture" 10 || fail "tshark did not stop"
wait "$capture" || true
echo "captured $(capinfos -c -M "$scratch/session.pcapng" | sed -n 's/.*packets: *//p') packets"

# Port 9527 (the preference's default).
expect 1 'synack.type == "hello" && synack.nick == "alice" && synack.v == 1 && tcp.dstport == 9527'
expect 1 'synack.type == "welcome" && synack.nick == "bob" && synack.users == "alice" && synack.users == "bob"'
expect 2 'synack.type == "msg" && synack.seq == 1 && synack.from == "bob" && synack.text == "hello from bob" && synack.ts > "2020-01-01 00:00:00"'
expect 1 'synack.type == "msg" && synack.seq == 2 && synack.from == "alice" && synack.text == "hi"'
# The long line: one frame made of several segments, its text whole.
expect 1 "synack.type == \"say\" && synack.text == \"$long\" && tcp.reassembled.length == synack.length + 4 && tcp.segment.count > 2"
expect 1 "synack.type == \"msg\" && synack.seq == 3 && synack.text == \"$long\" && tcp.segment.count > 2"
expect 2 'synack.type == "bye" && synack.reason == "quit" && tcp.dstport == 9527'
expect 1 'synack.type == "join" && synack.nick == "bob"'
expect 1 'synack.type == "leave" && synack.nick == "bob" && synack.reason == "quit"'
# The other port, by heuristic; not at all with the heuristic off.
expect 1 "synack.type == \"hello\" && synack.nick == \"carol\" && tcp.dstport == $other_port"
expect 1 "synack.type == \"msg\" && synack.text == \"carol was here\" && tcp.srcport == $other_port"
expect 0 "synack && tcp.port == $other_port" -o synack.heuristic:FALSE
# The port is a preference.
expect 0 'synack && tcp.port == 9527' -o synack.port:1 -o synack.heuristic:FALSE
expect 1 'synack.type == "hello" && synack.nick == "alice"' -o synack.port:1
# Nothing malformed in a real session, no Lua error, and the Info column.
expect 0 '_ws.malformed || synack.bad_payload || synack.frame_size || synack.bad_message'
expect 0 '_ws.lua.error'
decode -Y 'synack.nick == "bob"' | grep -q 'welcome bob (2 users)' || fail "no 'welcome bob (2 users)' in the Info column"
decode -Y 'synack.seq == 1' | grep -q 'msg #1 bob: hello from bob' || fail "no 'msg #1 bob: hello from bob' in the Info column"

# TLS on the dissector's port is left to TLS; with the keys, the frames inside
# are SynAck, the long one reassembled from TLS records over several segments.
if [ "$sessions" = 4 ]; then
    expect 0 'synack && tcp.port == 9443' -o synack.port:9443
    expect 1 'tls.handshake.type == 1 && tcp.dstport == 9443' -o synack.port:9443
    keys=(-o synack.port:9443 -o tls.keylog_file:"$scratch/keys.log")
    expect 1 'synack.type == "hello" && synack.nick == "alice" && tcp.dstport == 9443' "${keys[@]}"
    expect 1 "synack.type == \"say\" && synack.text == \"$long\" && tcp.dstport == 9443 && tcp.segment.count > 2" "${keys[@]}"
fi

# Hostile frames on port 9527 (text2pcap adds the headers): each one gives
# expert info, none a Lua error, and the good frame after them is still read.
frame() { # PAYLOAD_HEX...: one frame, its length prefix counted
    printf '000000 %s%s\n' "$(printf '%08x' $# | sed 's/../& /g')" "$*"
}
{
    frame 81 81 81 81 81 81 81 81 81 81 81 81 81 81 81 81 81 81 81 81 # nested 20 deep
    frame 9b 00 00 00 ff ff ff ff ff                                  # a huge array count
    frame bf 61 74 9f 9f 9f                                           # never broken
    frame a2 61 74 62 68 69 61 78 1c                                  # reserved additional info
    frame a2 61 74 62 68 69 61 78 ff                                  # a stray break
    frame a1 61 74 7a ff ff ff ff                                     # a string past the end
    frame a1 61 74 62 68 69 00                                        # a byte after the item
    frame a2 61 74 62 68 69 61 74 62 68 69                            # a duplicate key
    frame 83 01 02 03                                                 # not a map
    frame a1 61 74 62 c3 28                                           # invalid UTF-8
    echo '000000 00 00 00 00'                                         # length 0
    echo '000000 7f ff ff ff 00'                                      # length 2 GiB
    frame a2 61 74 64 70 69 6e 67 63 73 65 71 07                      # {t: "ping", seq: 7}
} >"$scratch/hostile.txt"
text2pcap -q -T 40000,9527 "$scratch/hostile.txt" "$scratch/session.pcapng" || fail "text2pcap"
expect 10 'synack.bad_payload'
expect 2 'synack.frame_size'
expect 1 'synack.type == "ping" && synack.seq == 7'
expect 0 '_ws.lua.error'

# A malformed TLS record on port 9527 is still left to TLS, and TLS reports it.
printf '000000 16 03 01 00 04 01 00 00 00\n000000 17 03 03 00 02 aa bb\n' >"$scratch/tls.txt"
text2pcap -q -T 40000,9527 "$scratch/tls.txt" "$scratch/session.pcapng" || fail "text2pcap"
expect 2 'tls && !synack'
expect 0 '_ws.lua.error'
echo "PASS: the dissector decodes a real session, by port and by heuristic"
