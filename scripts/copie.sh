#!/usr/bin/env bash
# Shared by scripts/backup.sh and scripts/ripristina.sh: runs `python -m cittadelnoi.stores.backup COMANDO`
# with the caller's paths made absolute against the caller's folder, then from the checkout (whose
# settings and secrets the app reads).
# Usage: bash scripts/copie.sh salva|ripristina [ARGS...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMANDO="$1"
shift
ARGOMENTI=()
for a in "$@"; do
  case "$a" in
    -*) ARGOMENTI+=("$a") ;;
    *) ARGOMENTI+=("$(realpath -m -s -- "$a")") ;;
  esac
done
cd "$ROOT"
exec .venv/bin/python -m cittadelnoi.stores.backup "$COMANDO" "${ARGOMENTI[@]}"
