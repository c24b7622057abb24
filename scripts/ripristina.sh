#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the app's database (the app stopped), after checking
# its checksum, integrity and schema version; refuses, changing nothing, a wrong or damaged file.
# Usage: bash scripts/ripristina.sh FILE      (cittadelnoi/stores/backup.py; README, «Copie di sicurezza»)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
exec .venv/bin/python -m cittadelnoi.stores.backup ripristina "$@"
