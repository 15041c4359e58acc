#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz": clang, ASan + UBSan) and runs
# each for SECONDS (default 60) on a copy of its seed corpus in
# tests/fuzz/corpus/, so the committed corpus never grows by itself. Prints
# each target's exec count; exits non-zero on any finding (a crash, a
# sanitizer report, a broken invariant, a timeout). The runs, their logs and
# any crashing input are kept in build/fuzz/runs/<time>/<target>/.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (targets: fuzz_protocol fuzz_session)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_protocol fuzz_session)
case $seconds in '' | *[!0-9]*)
    echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2
    exit 2
    ;;
esac

# clang and its libFuzzer runtime, besides what scripts/setup.sh installs.
scripts/setup.sh
missing=()
for package in clang libclang-rt-14-dev; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
        missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}"
fi

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"

runs=build/fuzz/runs/$(date +%Y%m%d-%H%M%S)
status=0
for target in "${targets[@]}"; do
    corpus_name=${target#fuzz_}
    dir=$runs/$target
    mkdir -p "$dir"
    cp -r "tests/fuzz/corpus/$corpus_name" "$dir/corpus"
    echo "=== $target: ${seconds} s on a copy of tests/fuzz/corpus/$corpus_name" \
        "($(find "$dir/corpus" -type f | wc -l) seeds)"
    rc=0
    # -timeout: one input taking longer is a finding (the session target
    # bounds each of its steps at 3 s). Qt's warnings go to the log.
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "build/fuzz/tests/fuzz/$target" -max_len=70000 -timeout=20 -rss_limit_mb=4096 \
        -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$dir/" \
        "$dir/corpus" >"$dir/log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log")
    cov=$(grep -o 'cov: [0-9]*' "$dir/log" | tail -1 || true)
    findings=$(find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' \
        -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
    echo "$target: ${execs:-?} execs (${rate:-?}/s), ${cov:-cov: ?}," \
        "corpus $(find "$dir/corpus" -type f | wc -l) files, exit $rc, findings $findings"
    if [ "$rc" -ne 0 ] || [ "$findings" -ne 0 ]; then
        status=1
        echo "--- $target FOUND something; its log ($dir/log) ends:"
        grep -v '^"' "$dir/log" | tail -40
        find "$dir" -maxdepth 1 -type f -name '*-*' ! -name log -print | sed 's/^/input: /'
    fi
done
echo "fuzz runs in $runs"
exit $status
