#!/usr/bin/env bash
# Builds SynAck's .deb, unpacks it into a scratch root, and checks that the
# installed synack-server --headless and synack-client --cli talk to each
# other, and that the package carries what a desktop needs.
# Usage: test-deb.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
scratch=$(mktemp -d)
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
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
            usr/share/icons/hicolor/scalable/apps/synack-client.svg; do
    [ -e "$root/$file" ] || { echo "FAIL: $file is not in the package"; exit 1; }
done
# The dissector, where this system's Wireshark looks for global Lua plugins.
lua_dir=$(tshark -G folders 2>/dev/null | sed -n 's/^Global Lua Plugins:[[:space:]]*//p' || true)
[ -e "$root${lua_dir:-/usr/lib/$(gcc -dumpmachine)/wireshark/plugins}/synack.lua" ] ||
    { echo "FAIL: synack.lua is not among Wireshark's Lua plugins (${lua_dir:-no tshark})"; exit 1; }

# The installed programs, and nothing from the build tree, talk to each other.
"$root/usr/bin/synack-server" --headless --port 0 --no-discovery --log-format json \
    >"$scratch/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 100); do
    port=$(grep -o '"port":[0-9]*' "$scratch/server.log" | head -1 | cut -d: -f2 || true)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$scratch/server.log"; echo "FAIL: the installed server did not listen"; exit 1; }

printf 'hello from the package\n' |
    timeout 20 "$root/usr/bin/synack-client" --cli --host 127.0.0.1 --port "$port" --nick packaged \
        >"$scratch/client.log" 2>&1 || { cat "$scratch/client.log"; echo "FAIL: the installed client"; exit 1; }
grep -q '<packaged> hello from the package' "$scratch/client.log" ||
    { cat "$scratch/client.log"; echo "FAIL: the message did not come back"; exit 1; }
grep -q '"event":"registered".*"nick":"packaged"' "$scratch/server.log" ||
    { cat "$scratch/server.log"; echo "FAIL: the server did not register the client"; exit 1; }
echo "PASS: the installed server and client talk to each other"
