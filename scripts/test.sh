#!/usr/bin/env bash
# Runs every test (unit, database and browser tests) after installing what is missing,
# Debian's chromium, postgresql and nginx included (the PostgreSQL tests may not skip here). Extra arguments go to pytest, e.g.:
#   bash scripts/test.sh -m "not browser"      bash scripts/test.sh -k offline -x
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh --with-browser --with-postgres --with-nginx
export CITTADELNOI_RICHIEDI_POSTGRES=1
export CITTADELNOI_RICHIEDI_NGINX=1

# Code checks first (configuration in pyproject.toml): lint, format, layer contracts, types.
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports --no-cache
.venv/bin/mypy

status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "test.sh: pytest collected no tests: failing on purpose" >&2
    exit 1
fi
exit "$status"
