"""A throwaway PostgreSQL server for the tests, from Debian's `postgresql` package.

`postgres_server` (session fixture) starts bench/repliche.py's `Postgres` (initdb and pg_ctl in a
temporary folder on a free localhost port, as the `postgres` user when run as root) and stops and
deletes it at the end. `nuovo_database(server)` creates an empty database and returns
its SQLAlchemy URL.

Without PostgreSQL binaries the tests that need it are skipped, with the reason, except in CI
(CI or CITTADELNOI_RICHIEDI_POSTGRES set) where they fail: `bash scripts/setup.sh --with-postgres`
installs them (scripts/test.sh does).
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass

import pytest

from bench.repliche import Postgres, PostgresNonInstallato

_contatore = itertools.count(1)


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    utente: str

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.utente}@{self.host}:{self.port}/{database}"


def _obbligatorio() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("CITTADELNOI_RICHIEDI_POSTGRES"))


@pytest.fixture(scope="session")
def postgres_server():
    try:
        pg = Postgres(database=None, max_connections=100)
    except PostgresNonInstallato as exc:
        if _obbligatorio():
            pytest.fail(f"{exc} — in CI è obbligatorio")
        pytest.skip(str(exc))
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield Server("127.0.0.1", pg.porta, "postgres")
    finally:
        pg.ferma()


def nuovo_database(server: Server) -> str:
    """Create an empty database on `server`; return its SQLAlchemy URL."""
    import sqlalchemy as sa

    nome = f"cdn_{os.getpid()}_{next(_contatore)}"
    eng = sa.create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {nome}")
    eng.dispose()
    return server.url(nome)
