#!/usr/bin/env bash
# Builds SynAck's .deb, unpacks it into a scratch root, and checks that the
# installed synack-server --headless and synack-client --cli talk to each
# other, that the package carries what a desktop needs, and that the systemd
# unit's command line, run as written with the shipped options file, serves
# and reloads.
# Usage: test-deb.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
scratch=$(mktemp -d)
server_pid=""
unit_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    [ -n "$unit_pid" ] && kill "$unit_pid" 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT

(cd "$build" && cpack -G DEB -B "$scratch/pkg" >"$scratch/cpack.log" 2>&1) || {
    cat "$scratch/cpack.log"; echo "FAIL: cpack"; exit 1; }
deb=$(ls "$scratch"/pkg/synack_*.deb)
echo "built $(basename "$deb")"

root="$scratch/root"
dpkg -x "$deb" "$root"

# Every Qt library the programs link (libQt6Widgets.so.6 ...) must come from a
# package in Depends (libqt6widgets6 ...), and the SVG plugins too.
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
needed=$(for program in "$root"/usr/bin/synack-*; do
             readelf -d "$program" | sed -n 's/.*Shared library: \[libQt6\([A-Za-z]*\)\.so\.6\]/libqt6\L\16/p'
         done | sort -u)
for package in $needed libqt6svg6; do
    grep -q "\b$package\b" <<<"$depends" || { echo "FAIL: $package missing from Depends"; exit 1; }
done
for file in usr/bin/synack-server usr/bin/synack-client \
            usr/share/applications/synack-client.desktop usr/share/applications/synack-server.desktop \
            usr/share/icons/hicolor/scalable/apps/synack-client.svg \
            usr/share/man/man1/synack-server.1 usr/share/man/man1/synack-client.1 \
            usr/lib/systemd/system/synack-server.service etc/synack/synack-server.conf; do
    [ -e "$root/$file" ] || { echo "FAIL: $file is not in the package"; exit 1; }
done
# The dissector, where this system's Wireshark looks for global Lua plugins.
lua_dir=$(tshark -G folders 2>/dev/null | sed -n 's/^Global Lua Plugins:[[:space:]]*//p' || true)
[ -e "$root${lua_dir:-/usr/lib/$(gcc -dumpmachine)/wireshark/plugins}/synack.lua" ] ||
    { echo "FAIL: synack.lua is not among Wireshark's Lua plugins (${lua_dir:-no tshark})"; exit 1; }

# The port a server's LOG says it listens on (PATTERN, for sed -n, picks it
# from a line), once it says so; the test fails after 10 s without it.
wait_for_port() {
    local log=$1 pattern=$2 found=""
    for _ in $(seq 1 100); do
        found=$(sed -n "$pattern" "$log" | head -1)
        [ -n "$found" ] && { echo "$found"; return 0; }
        sleep 0.1
    done
    cat "$log" >&2
    echo "FAIL: the server of $log did not listen" >&2
    return 1
}

# The installed client sends TEXT as NICK to PORT; its output goes to LOG,
# which must show the message come back.
chat() {
    local port=$1 nick=$2 text=$3 log=$4
    printf '%s\n' "$text" |
        timeout 20 "$root/usr/bin/synack-client" --cli --host 127.0.0.1 --port "$port" --nick "$nick" \
            >"$log" 2>&1 || { cat "$log"; echo "FAIL: the installed client ($nick)"; exit 1; }
    grep -qF "<$nick> $text" "$log" || { cat "$log"; echo "FAIL: $nick's message did not come back"; exit 1; }
}

# The installed programs, and nothing from the build tree, talk to each other.
"$root/usr/bin/synack-server" --headless --port 0 --no-discovery --log-format json \
    >"$scratch/server.log" 2>&1 &
server_pid=$!
port=$(wait_for_port "$scratch/server.log" 's/.*"port":\([0-9][0-9]*\).*/\1/p')
chat "$port" packaged 'hello from the package' "$scratch/client.log"
grep -q '"event":"registered".*"nick":"packaged"' "$scratch/server.log" ||
    { cat "$scratch/server.log"; echo "FAIL: the server did not register the client"; exit 1; }
echo "PASS: the installed server and client talk to each other"

# The service: installed, not enabled (no maintainer script, no wants link),
# sandboxed, its options a conffile.
unit="$root/usr/lib/systemd/system/synack-server.service"
for script in preinst postinst prerm postrm; do
    if dpkg-deb -I "$deb" "$script" >/dev/null 2>&1; then
        echo "FAIL: the package has a $script (the unit must be installed, not enabled)"; exit 1
    fi
done
[ ! -e "$root/etc/systemd" ] || { echo "FAIL: the package enables a unit"; exit 1; }
dpkg-deb -I "$deb" conffiles | grep -qx /etc/synack/synack-server.conf ||
    { echo "FAIL: /etc/synack/synack-server.conf is not a conffile"; exit 1; }
for directive in DynamicUser=yes StateDirectory=synack ProtectSystem=strict PrivateTmp=yes \
                 NoNewPrivileges=yes CapabilityBoundingSet= 'ExecReload=/bin/kill -HUP $MAINPID'; do
    grep -qxF "$directive" "$unit" || { echo "FAIL: the unit lacks $directive"; exit 1; }
done
man -l "$root/usr/share/man/man1/synack-server.1" >/dev/null 2>&1 ||
    { command -v man >/dev/null && { echo "FAIL: synack-server.1 does not format"; exit 1; }; }

# The unit's ExecStart, word for word, outside systemd: only the installed
# files' places move into the scratch root, and the options file is the
# shipped one with a free port, the state directory in scratch and no
# discovery (other tests may hold the default ports).
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
read -ra command <<<"$exec_start"
config=""
for i in "${!command[@]}"; do
    case "${command[$i]}" in
        /usr/bin/*) command[$i]="$root${command[$i]}" ;;
        /etc/synack/*) config="$root${command[$i]}"; command[$i]="$config" ;;
    esac
done
[ -n "$config" ] || { echo "FAIL: ExecStart names no options file: $exec_start"; exit 1; }
state="$scratch/state"
mkdir -p "$state"
sed -i -e 's/^port=.*/port=0/' -e "s|/var/lib/synack/|$state/|" "$config"
printf 'no-discovery\nmotd=before the reload\n' >>"$config"
echo "running the unit's command line: ${command[*]}"
"${command[@]}" >"$scratch/unit.log" 2>&1 &
unit_pid=$!
port=$(wait_for_port "$scratch/unit.log" 's/.*listening on .*:\([0-9][0-9]*\) as .*/\1/p')
chat "$port" serviced 'hello from the unit' "$scratch/unit-client.log"
grep -q 'before the reload' "$scratch/unit-client.log" ||
    { cat "$scratch/unit-client.log"; echo "FAIL: the options file's motd did not arrive"; exit 1; }
grep -q '"text":"hello from the unit"' "$state/history.jsonl" ||
    { echo "FAIL: the history is not in the state directory"; exit 1; }

# ExecReload as written, $MAINPID the server: it reloads and goes on.
sed -i 's/^motd=.*/motd=after the reload/' "$config"
reload=$(sed -n 's/^ExecReload=//p' "$unit")
${reload//\$MAINPID/$unit_pid}
for _ in $(seq 1 100); do
    grep -q 'reloaded' "$scratch/unit.log" && break
    sleep 0.1
done
grep -q "reloaded .*message of the day changed" "$scratch/unit.log" ||
    { cat "$scratch/unit.log"; echo "FAIL: ExecReload did not reload"; exit 1; }
chat "$port" reloaded 'again' "$scratch/unit-client2.log"
grep -q 'after the reload' "$scratch/unit-client2.log" ||
    { cat "$scratch/unit-client2.log"; echo "FAIL: the reloaded motd did not arrive"; exit 1; }
kill -0 "$unit_pid" || { echo "FAIL: the server did not survive the reload"; exit 1; }
echo "PASS: the unit's command line serves, with the options file, and reloads"
