#!/usr/bin/env bash
# Regenerates the lock file and the pinned install list from pyproject.toml, from PyPI only:
#
#   bash scripts/aggiorna_requisiti.sh                        after editing [project].dependencies or the dev group
#   bash scripts/aggiorna_requisiti.sh --upgrade-package X    to move one package to its newest allowed version
#
# pyproject.toml  what the app and its tests need (edit this)
# uv.lock         every package, direct and indirect, with its exact version and file hashes (`uv lock`)
# requirements.txt  the same versions as a pip install list for scripts/setup.sh (`uv export`)
# Extra arguments go to `uv lock`. tests/unit/test_requisiti.py fails when the three disagree.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
UV="$ROOT/.venv/bin/uv"
[ -x "$UV" ] || UV="$(command -v uv || true)"
if [ -z "$UV" ]; then
    echo "aggiorna_requisiti.sh: uv not found: run bash scripts/setup.sh (uv is in the dev group)" >&2
    exit 1
fi

"$UV" lock "$@"
tmp="$(mktemp requirements.txt.XXXXXX)"
{
    echo "# Generated from uv.lock by scripts/aggiorna_requisiti.sh: do not edit by hand."
    echo "# To add or change a package: edit pyproject.toml, then run bash scripts/aggiorna_requisiti.sh."
    echo "# Same as: uv export --frozen --no-hashes --group dev --no-emit-project --no-header --no-annotate"
    echo "# App and test dependencies; scripts/setup.sh installs them with pip install -r requirements.txt."
    "$UV" export --frozen --no-hashes --group dev --no-emit-project --no-header --no-annotate
} > "$tmp"
mv "$tmp" requirements.txt
echo "uv.lock and requirements.txt updated" >&2
