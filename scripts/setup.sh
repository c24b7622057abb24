#!/usr/bin/env bash
# Installs everything the dashboard needs, from the package registries only.
# Safe to run again: each step is skipped when it is already done.
#
#   bash scripts/setup.sh                 Python packages in .venv + Leaflet in static/vendor/
#   bash scripts/setup.sh --with-browser  also Debian's chromium, for the browser tests
#   bash scripts/setup.sh --with-postgres Debian's postgresql server binaries, for the database tests
#   bash scripts/setup.sh --with-nginx    Debian's nginx, for the replicas behind a proxy (deploy/)
#
# Environment: PYTHON picks the interpreter that creates .venv (default: python3, 3.11 or newer).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WITH_BROWSER=0
WITH_POSTGRES=0
WITH_NGINX=0
for arg in "$@"; do
    case "$arg" in
        --with-browser) WITH_BROWSER=1 ;;
        --with-postgres) WITH_POSTGRES=1 ;;
        --with-nginx) WITH_NGINX=1 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "setup.sh: unknown option: $arg" >&2; exit 2 ;;
    esac
done

log() { echo "[setup] $*" >&2; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "setup.sh: '$*' needs root (or sudo)" >&2
        return 1
    fi
}

APT_UPDATED=0
apt_install() {
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "setup.sh: apt-get not found; install these packages by hand: $*" >&2
        return 1
    fi
    if [ "$APT_UPDATED" -eq 0 ]; then
        log "apt-get update"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
        APT_UPDATED=1
    fi
    log "apt-get install -y $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

sha() { sha256sum "$@" | sha256sum | cut -d' ' -f1; }

# --- 1. Python packages in .venv ------------------------------------------------
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv"
REQ_STAMP="$VENV/.requirements.sha256"

if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    log ".venv is broken (its interpreter does not start): recreating it"
    rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "setup.sh: $PYTHON must be Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2
        exit 1
    fi
    if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
        apt_install python3-venv
    fi
    log "creating .venv with $("$PYTHON" --version 2>&1)"
    "$PYTHON" -m venv "$VENV"
fi

want="$(sha requirements.txt)-$("$VENV/bin/python" -c 'import sys; print(sys.version)' | sha256sum | cut -c1-16)"
if [ "$(cat "$REQ_STAMP" 2>/dev/null || true)" = "$want" ]; then
    log "Python packages up to date (requirements.txt unchanged)"
else
    log "pip install -r requirements.txt"
    "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q -r requirements.txt
    echo "$want" > "$REQ_STAMP"
fi

# --- 2. Leaflet and Titillium Web from the npm registry, copied where Streamlit serves static files ---
if ! command -v npm >/dev/null 2>&1; then
    log "npm not found: installing Debian's nodejs and npm"
    apt_install nodejs npm
fi

NPM_STAMP="node_modules/.package-lock.sha256"
want="$(sha package.json package-lock.json)"
if [ -f node_modules/leaflet/dist/leaflet.js ] && [ "$(cat "$NPM_STAMP" 2>/dev/null || true)" = "$want" ]; then
    log "node_modules up to date (package-lock.json unchanged)"
else
    log "npm ci"
    npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
    echo "$want" > "$NPM_STAMP"
fi

# Leaflet and topojson-client (the map decodes the quartieri's TopoJSON in the browser).
copy_assets() {  # copy_assets NAME SRC_DIR DST_DIR FILE...
    local name="$1" src="$2" dst="$3" same=1 f
    shift 3
    for f in "$@"; do
        if [ -d "$src/$f" ]; then
            diff -rq "$src/$f" "$dst/$f" >/dev/null 2>&1 || same=0
        else
            cmp -s "$src/$f" "$dst/$f" || same=0
        fi
    done
    if [ "$same" -eq 1 ]; then
        log "$name assets already in $dst"
    else
        log "copying $name $(node -p "require('./node_modules/$name/package.json').version" 2>/dev/null || echo '') to $dst"
        rm -rf "$dst"
        mkdir -p "$dst"
        for f in "$@"; do cp -R "$src/$f" "$dst/"; done
    fi
}
copy_assets leaflet node_modules/leaflet/dist static/vendor/leaflet leaflet.js leaflet.css images
copy_assets topojson-client node_modules/topojson-client/dist static/vendor/topojson-client topojson-client.min.js
# Titillium Web (Designers Italia's typeface), the weights .streamlit/config.toml declares in
# [[theme.fontFaces]], with its licence (SIL OFL 1.1).
FONT_TW=node_modules/@fontsource/titillium-web
copy_assets @fontsource/titillium-web "$FONT_TW/files" static/vendor/titillium-web \
    titillium-web-latin-400-normal.woff2 titillium-web-latin-400-italic.woff2 \
    titillium-web-latin-600-normal.woff2 titillium-web-latin-700-normal.woff2
cmp -s "$FONT_TW/LICENSE" static/vendor/titillium-web/LICENSE || cp "$FONT_TW/LICENSE" static/vendor/titillium-web/LICENSE

# --- 3. Chromium for the browser tests (only with --with-browser) ------------------
if [ "$WITH_BROWSER" -eq 1 ]; then
    if [ -x /usr/bin/chromium ]; then
        log "chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
    else
        apt_install chromium
        if [ ! -x /usr/bin/chromium ]; then
            echo "setup.sh: chromium was installed but /usr/bin/chromium is missing" >&2
            exit 1
        fi
    fi
fi

# --- 4. PostgreSQL for the database tests (only with --with-postgres) ---------------
# The tests start their own throwaway server (tests/postgres.py) with initdb and pg_ctl from
# /usr/lib/postgresql/<version>/bin; the package's default cluster is not used.
if [ "$WITH_POSTGRES" -eq 1 ]; then
    if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        log "PostgreSQL present: $(ls -d /usr/lib/postgresql/*/bin | tr '\n' ' ')"
    else
        apt_install postgresql
        if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
            echo "setup.sh: postgresql was installed but no /usr/lib/postgresql/*/bin/initdb" >&2
            exit 1
        fi
    fi
fi

# --- 5. nginx for the replicas (only with --with-nginx) --------------------------------
# scripts/avvia_repliche.sh and tests/deploy run their own nginx from a temporary folder with
# deploy/nginx/'s files; the package's own site is not started or used.
if [ "$WITH_NGINX" -eq 1 ]; then
    if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
        log "nginx present: $( (/usr/sbin/nginx -v 2>&1 || nginx -v 2>&1) | head -1)"
    else
        apt_install nginx
        if [ ! -x /usr/sbin/nginx ]; then
            echo "setup.sh: nginx was installed but /usr/sbin/nginx is missing" >&2
            exit 1
        fi
    fi
fi

log "done"
