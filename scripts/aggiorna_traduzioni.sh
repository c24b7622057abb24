#!/usr/bin/env bash
# Brings the gettext catalogues in line with the code (CONTRIBUTING, «Translations»):
#   1. pybabel extract: every _(), N_() and ngettext() of the app -> locales/messages.pot
#   2. pybabel update: adds the new messages to locales/<lang>/LC_MESSAGES/messages.po (empty, to
#      translate), drops those no longer in the code; a changed message comes back marked fuzzy
#      (shown in Italian until a translator checks it).
# Then translate the empty and fuzzy entries; tests/unit/core/test_i18n.py fails while any is left,
# or while the catalogue holds a message the code no longer has.
#   bash scripts/aggiorna_traduzioni.sh --solo-estrai FILE.pot   step 1 only, into FILE.pot (the test uses it)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# The folders and files holding the app's messages: one home, read by the test too.
SORGENTI=(cittadelnoi pages dashboard.py app.py)
POT=locales/messages.pot
if [ "${1:-}" = "--solo-estrai" ]; then
    POT="$2"
fi
.venv/bin/pybabel -q extract -F pyproject.toml --no-location --sort-output --project cittadelnoi \
    -o "$POT" "${SORGENTI[@]}"
if [ "${1:-}" = "--solo-estrai" ]; then
    exit 0
fi
.venv/bin/pybabel -q update -i locales/messages.pot -d locales -D messages --ignore-obsolete --width 100
