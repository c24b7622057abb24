#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the app's database (the app stopped), after checking
# its checksum, integrity and schema version; refuses, changing nothing, a wrong or damaged file.
# Usage: bash scripts/ripristina.sh FILE      (cittadelnoi/stores/backup.py; README, «Copie di sicurezza»)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Paths are the caller's: made absolute against the caller's folder before moving to the checkout
# (whose settings and secrets the app reads).
ARGOMENTI=()
for a in "$@"; do
  case "$a" in
    -*) ARGOMENTI+=("$a") ;;
    *) ARGOMENTI+=("$(realpath -m -s -- "$a")") ;;
  esac
done
cd "$ROOT"
exec .venv/bin/python -m cittadelnoi.stores.backup ripristina "${ARGOMENTI[@]}"
