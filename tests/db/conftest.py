"""The database store against both backends: an SQLite file and a real PostgreSQL server.

db_url      an empty database: `sqlite` (a file in tmp_path) or `postgresql` (a new database on
            the throwaway server of tests/postgres.py); tests using it run once per backend
store       a DbStore on db_url, seeded from a private copy of data/ (tests/conftest.py's data_copy)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.engine import crea_engine
from tests.postgres import nuovo_database, postgres_server  # noqa: F401  (fixture)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'registro.sqlite'}"
    return nuovo_database(request.getfixturevalue("postgres_server"))


@pytest.fixture
def engine(db_url: str):
    eng = crea_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def store(engine, data_copy: Path) -> DbStore:
    s = DbStore(engine, data_copy)
    snap, errori = s.get()
    assert errori == [] and snap is not None
    return s
