#!/usr/bin/env bash
# The two test commands (README, «Tests»):
#
#   bash scripts/test.sh            everything, as CI (.ci/run): installs what is missing, Debian's chromium,
#                                   postgresql and nginx included (the tests that need them may not skip here);
#                                   code checks, then the tests without a browser in parallel (pytest-xdist),
#                                   then the browser tests one after the other
#   bash scripts/test.sh --rapido   the fast check (about 3 minutes on 2 cores): code checks, then every test
#                                   that needs no browser, no PostgreSQL and no nginx, in parallel; installs
#                                   nothing from Debian (scripts/setup.sh without --with-*)
#
# The markers browser, postgres and nginx (pyproject.toml, tests/conftest.py) say what a test needs; --rapido
# deselects them, it never counts them as skipped. Extra arguments go to pytest, e.g.:
#   bash scripts/test.sh --rapido -k loaders -x      bash scripts/test.sh -k offline
# With a -m of their own, the tests run in one pytest process (in parallel with --rapido) with that -m only.
# TEST_WORKERS sets the number of pytest-xdist processes (default: auto, one per core).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RAPIDO=0
if [ "${1:-}" = "--rapido" ]; then
    RAPIDO=1
    shift
fi
WORKERS="${TEST_WORKERS:-auto}"
# --dist loadfile: the tests of one file run in one process, which sets up the file's module fixtures
# (e.g. the replicas behind nginx of tests/deploy) once. Not loadgroup: with pytest 9.2 it no longer
# groups anything (pytest-dev/pytest-xdist#1386).
PARALLELO=(-n "$WORKERS" --dist loadfile)

if [ "$RAPIDO" -eq 1 ]; then
    bash scripts/setup.sh
    # Not CITTADELNOI_RICHIEDI_POSTGRES/_NGINX: the tests that would need them are deselected below.
else
    bash scripts/setup.sh --with-browser --with-postgres --with-nginx
    export CITTADELNOI_RICHIEDI_POSTGRES=1
    export CITTADELNOI_RICHIEDI_NGINX=1
fi

# Code checks first (configuration in pyproject.toml): lint, format, layer contracts, types.
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports --no-cache
.venv/bin/mypy

# Runs pytest; its status is kept in `status` unless it is 5 (no test collected: `raccolti` stays 0).
status=0
raccolti=0
esegui() {
    local s=0
    .venv/bin/python -m pytest "$@" || s=$?
    if [ "$s" -eq 5 ]; then
        return 0
    fi
    raccolti=1
    if [ "$s" -ne 0 ]; then
        status=$s
    fi
}

SCELTA=0  # the caller picks the tests by marker: one pytest run, with exactly their -m
for arg in "$@"; do
    case "$arg" in -m | -m*) SCELTA=1 ;; esac
done

if [ "$RAPIDO" -eq 1 ] && [ "$SCELTA" -eq 1 ]; then
    esegui "${PARALLELO[@]}" "$@"
elif [ "$SCELTA" -eq 1 ]; then
    esegui "$@"
elif [ "$RAPIDO" -eq 1 ]; then
    esegui -m "not browser and not postgres and not nginx" "${PARALLELO[@]}" "$@"
else
    # Every test without a browser in parallel; the browser tests serially, each with the whole machine
    # (Chromium and the app's servers share its 2 cores: run side by side their timing is no one's).
    esegui -m "not browser" "${PARALLELO[@]}" "$@"
    esegui -m browser "$@"
fi
if [ "$raccolti" -eq 0 ]; then
    echo "test.sh: pytest collected no tests: failing on purpose" >&2
    exit 1
fi
exit "$status"
