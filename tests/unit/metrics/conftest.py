"""The sample register (esempio/) loaded once, as the metrics' tests read it: points whose id starts
with `demo-` marked as demo rows (tests/registro_demo.py)."""

from __future__ import annotations

import pytest

from cittadelnoi.loaders.csvio import leggi_file
from cittadelnoi.loaders.punti import carica_punti
from cittadelnoi.loaders.quartieri import carica_quartieri
from cittadelnoi.loaders.sportelli import carica_sportelli
from tests.conftest import DATA
from tests.registro_demo import come_demo


@pytest.fixture(scope="module")
def quartieri():
    q, _ = carica_quartieri(leggi_file(DATA / "quartieri.geojson"))
    return q


@pytest.fixture(scope="module")
def _registro(quartieri):
    p, _ = carica_punti(leggi_file(DATA / "punti.csv"), quartieri)
    s, avvisi = carica_sportelli(leggi_file(DATA / "sportelli.csv"), set(p["id"]))
    assert avvisi == []
    return come_demo(p, s, quartieri)


@pytest.fixture(scope="module")
def punti(_registro):
    return _registro[0]


@pytest.fixture(scope="module")
def sportelli(_registro):
    return _registro[1]
