#!/usr/bin/env bash
# A consistent backup of the app's database (SQLite: VACUUM INTO; PostgreSQL: pg_dump -Fc), while the
# app serves, into FOLDER (default var/copie/), named with date and time, with FILE.sha256.
# Usage: bash scripts/backup.sh [FOLDER]      (cittadelnoi/stores/backup.py; README, «Copie di sicurezza»)
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
exec .venv/bin/python -m cittadelnoi.stores.backup salva "${ARGOMENTI[@]}"
