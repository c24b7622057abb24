"""Two replicas of the app behind nginx on 127.0.0.1, on a throwaway PostgreSQL cluster
(bench/repliche.py: the configuration of deploy/nginx/ as production uses it).

    repliche   a bench.repliche.Repliche with 2 replicas, one per module

Skipped, with the reason, where nginx or PostgreSQL is not installed, except in CI
(CI or CITTADELNOI_RICHIEDI_NGINX set: scripts/test.sh installs both) where that fails.
"""

from __future__ import annotations

import os

import pytest

from bench.repliche import Repliche, nginx_presente, postgres_bin
from tests.conftest import DATA


def _obbligatorio() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("CITTADELNOI_RICHIEDI_NGINX"))


def _richiedi(presente: bool, msg: str) -> None:
    if not presente:
        if _obbligatorio():
            pytest.fail(msg + " — in CI è obbligatorio")
        pytest.skip(msg)


@pytest.fixture(scope="module")
def repliche():
    _richiedi(nginx_presente(), "nginx non installato: `bash scripts/setup.sh --with-nginx` lo installa")
    _richiedi(postgres_bin() is not None, "PostgreSQL non installato: `bash scripts/setup.sh --with-postgres`")
    with Repliche(2, data_dir=DATA) as r:  # the sample register, never the shipped data/
        yield r
