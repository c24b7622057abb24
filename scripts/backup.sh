#!/usr/bin/env bash
# A consistent backup of the app's database (SQLite: VACUUM INTO; PostgreSQL: pg_dump -Fc), while the
# app serves, into FOLDER (default var/copie/), named with date and time, with FILE.sha256.
# Usage: bash scripts/backup.sh [FOLDER]      (cittadelnoi/stores/backup.py; README, «Copie di sicurezza»)
exec bash "$(dirname "${BASH_SOURCE[0]}")/copie.sh" salva "$@"
