#!/usr/bin/env bash
# The daily backup of the run book (README, «Copie di sicurezza»): scripts/backup.sh into
# CARTELLA/giornaliere, the first copy of each month also into CARTELLA/mensili/AAAA-MM, retention
# (the newest 14 daily copies, the newest 12 months), then, if CITTADELNOI_COPIA_REMOTA is set
# (e.g. copie@archivio.comune.example:cittadelnoi/), `rsync -a --delete CARTELLA/` to it.
# Usage: bash scripts/copia_giornaliera.sh [CARTELLA]   (default $CITTADELNOI_COPIE, else var/copie)
# Copies are ordered by modification time; only cittadelnoi-*.sqlite / cittadelnoi-*.dump (with their
# .sha256) and AAAA-MM folders are ever deleted. tests/db/test_copia_giornaliera.py runs it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GIORNALIERE=14
MENSILI=12
BASE="$(realpath -m -- "${1:-${CITTADELNOI_COPIE:-$ROOT/var/copie}}")"

bash "$ROOT/scripts/backup.sh" "$BASE/giornaliere"

# Every daily copy, newest first (find, not ls: a pattern matching nothing is no error).
mapfile -t copie < <(find "$BASE/giornaliere" -maxdepth 1 -type f \
  \( -name 'cittadelnoi-*.sqlite' -o -name 'cittadelnoi-*.dump' \) -printf '%T@\t%p\n' | sort -rn | cut -f2-)
if [ "${#copie[@]}" -eq 0 ]; then
  echo "rifiutato: nessuna copia in $BASE/giornaliere dopo scripts/backup.sh" >&2
  exit 1
fi
ultima="${copie[0]}"

mese="$BASE/mensili/$(date +%Y-%m)"
if [ ! -d "$mese" ]; then  # the first copy of the month; written aside, then renamed: never half a month
  mkdir -p "$BASE/mensili"
  parziale="$(mktemp -d "$BASE/mensili/.parziale-XXXXXX")"
  cp -p -- "$ultima" "$ultima.sha256" "$parziale/"
  chmod 755 "$parziale"
  mv -T -- "$parziale" "$mese"
  echo "copia mensile: $mese/$(basename "$ultima")"
fi

for vecchia in "${copie[@]:GIORNALIERE}"; do
  rm -f -- "$vecchia" "$vecchia.sha256"
  echo "eliminata la copia giornaliera $vecchia"
done

mapfile -t mesi < <(find "$BASE/mensili" -mindepth 1 -maxdepth 1 -type d \
  -name '[0-9][0-9][0-9][0-9]-[0-9][0-9]' | sort -r)
for vecchio in "${mesi[@]:MENSILI}"; do
  rm -rf -- "$vecchio"
  echo "eliminata la copia mensile $vecchio"
done

if [ -n "${CITTADELNOI_COPIA_REMOTA:-}" ]; then
  rsync -a --delete --exclude '.parziale-*' "$BASE/" "$CITTADELNOI_COPIA_REMOTA"
  echo "copiato $BASE/ su $CITTADELNOI_COPIA_REMOTA"
fi
