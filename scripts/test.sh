#!/usr/bin/env bash
# Runs every test (unit and browser tests) after installing what is missing,
# Debian's chromium included. Extra arguments go to pytest, e.g.:
#   bash scripts/test.sh -m "not browser"      bash scripts/test.sh -k offline -x
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh --with-browser

status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "test.sh: pytest collected no tests: failing on purpose" >&2
    exit 1
fi
exit "$status"
