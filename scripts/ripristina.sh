#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the app's database (the app stopped), after checking
# its checksum, integrity and schema version; refuses, changing nothing, a wrong or damaged file.
# Usage: bash scripts/ripristina.sh FILE      (cittadelnoi/stores/backup.py; README, «Copie di sicurezza»)
exec bash "$(dirname "${BASH_SOURCE[0]}")/copie.sh" ripristina "$@"
