#!/usr/bin/env bash
# Installs the Debian 12 packages that SynAck needs to build, test and run,
# when any are missing. Safe to run again: it does nothing when all are there.
set -euo pipefail

packages=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    libgl-dev
    libqt6svg6   # the SVG icon plugins (window icons)
    dpkg-dev     # dpkg-shlibdeps, for the .deb's dependencies
    xvfb xauth   # windows under a virtual screen (screenshots, GUI tests)
    iproute2     # network namespaces and the traffic shaper of the lab
    procps       # ps/pgrep for the test scripts
    libpcap-dev  # capture of the connections' own TCP segments (issue 19)
    tshark       # reads the captures back in the tests, with SynAck's dissector
    libssl-dev   # making the TLS certificate, which Qt cannot do (issue 21)
    util-linux   # unshare, for the tests' private network namespaces
    openssl      # s_client and s_server: the TLS session of the Wireshark dissector's test
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "synack setup: installing ${missing[*]}"
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
