#!/usr/bin/env bash
# Starts the dashboard (app.py: dashboard.py plus the open-data routes) on the data in data/ (installs what is missing first).
# --esempio: the fictional sample register of esempio/ instead (watermarked, own database).
# Extra arguments go to `streamlit run`, e.g.: bash scripts/run.sh --server.port 8600
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ARGS=()
for a in "$@"; do
  if [ "$a" = "--esempio" ]; then export CITTADELNOI_DATI=esempio; else ARGS+=("$a"); fi
done
bash scripts/setup.sh
exec .venv/bin/python scripts/avvia.py app.py "${ARGS[@]}"   # = streamlit run app.py, warmed before the first visitor
