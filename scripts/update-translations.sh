#!/usr/bin/env bash
# Brings the translation catalogue up to date with the sources: new strings
# appear in resources/translations/*.ts as unfinished, for a translator to
# fill in (Qt Linguist, or any editor). The build turns the .ts into .qm.
set -euo pipefail
cd "$(dirname "$0")/.."
lupdate=/usr/lib/qt6/bin/lupdate
[ -x "$lupdate" ] || lupdate=$(command -v lupdate)
for ts in resources/translations/synack_*.ts; do
    "$lupdate" -silent -locations relative -no-obsolete common app-server app-client -ts "$ts"
done
echo "updated: $(ls resources/translations/synack_*.ts | tr '\n' ' ')"
