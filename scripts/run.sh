#!/usr/bin/env bash
# Starts the dashboard (app.py: dashboard.py plus the open-data routes) on the data in data/ (installs what is missing first).
# Extra arguments go to `streamlit run`, e.g.: bash scripts/run.sh --server.port 8600
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
exec .venv/bin/python scripts/avvia.py app.py "$@"   # = streamlit run app.py, warmed before the first visitor
