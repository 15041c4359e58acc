#!/usr/bin/env bash
# The translation catalogues are complete: a copy of each
# resources/translations/synack_*.ts is brought up to date with the sources
# (lupdate, as scripts/update-translations.sh does), then every message still
# unfinished or with an empty translation is listed. Exits 1 if there is any.
#
# usage: check-translations.sh [path/to/lupdate]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
lupdate=${1:-/usr/lib/qt6/bin/lupdate}
[ -x "$lupdate" ] || lupdate=$(command -v lupdate6 || command -v lupdate || true)
if [ -z "$lupdate" ] || [ ! -x "$lupdate" ]; then
    echo "check-translations: lupdate not found" >&2
    exit 2
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

shopt -s nullglob
catalogues=("$root"/resources/translations/synack_*.ts)
if [ ${#catalogues[@]} -eq 0 ]; then
    echo "check-translations: no catalogue in resources/translations" >&2
    exit 2
fi

status=0
for ts in "${catalogues[@]}"; do
    copy="$scratch/$(basename "$ts")"
    cp "$ts" "$copy"
    (cd "$root" && "$lupdate" -silent -locations none -no-obsolete \
        common app-server app-client -ts "$copy") 2>"$scratch/lupdate.log" || {
        cat "$scratch/lupdate.log" >&2
        echo "check-translations: lupdate failed on $(basename "$ts")" >&2
        exit 2
    }
    # lupdate writes one element a line; a source or translation may span
    # lines. A message is incomplete when unfinished, or when its translation
    # (or one of its plural forms) is empty.
    incomplete=$(awk '
        function flush() {
            if (msg == "") return
            empty = (msg ~ /<translation[^>]*\/>/ || msg ~ /<translation[^>]*><\/translation>/ ||
                     msg ~ /<numerusform><\/numerusform>/ || msg ~ /<numerusform\/>/)
            if (msg ~ /<translation[^>]*type="unfinished"/ || empty) {
                src = msg
                sub(/.*<source>/, "", src); sub(/<\/source>.*/, "", src)
                gsub(/\n/, "\\n", src)
                printf "  %s: %s\n", context, src
            }
            msg = ""
        }
        /<name>/ { context = $0; sub(/.*<name>/, "", context); sub(/<\/name>.*/, "", context) }
        /<message[ >]/ { inmsg = 1; msg = "" }
        inmsg { msg = msg (msg == "" ? "" : "\n") $0 }
        /<\/message>/ { inmsg = 0; flush() }
    ' "$copy")
    if [ -n "$incomplete" ]; then
        count=$(printf '%s\n' "$incomplete" | grep -c '^  ')
        echo "$(basename "$ts"): $count message(s) without a translation" \
             "(run scripts/update-translations.sh, then translate them):"
        printf '%s\n' "$incomplete"
        status=1
    else
        total=$(grep -c '<message' "$copy" || true)
        echo "$(basename "$ts"): all $total messages translated"
    fi
done
exit $status
