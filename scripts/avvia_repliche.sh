#!/usr/bin/env bash
# Starts, on this machine only (127.0.0.1), a throwaway PostgreSQL cluster, N dashboard replicas
# on it and nginx in front of them with the configuration of deploy/nginx/; Ctrl-C stops them all.
#   bash scripts/avvia_repliche.sh [N] [--porta 8080]      (N = 2 by default; one per core)
# For trying the replicas out and for the load test (bench/load.py --repliche N); production uses
# the systemd units of deploy/systemd/ instead (deploy/README.md).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh --with-postgres --with-nginx
exec .venv/bin/python bench/repliche.py "$@"
