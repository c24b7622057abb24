"""Database failures are classified by the drivers' codes, never by the wording of a message: a
message that reads like another fault does not change the answer."""

from __future__ import annotations

import errno
import sqlite3

import psycopg
import pytest
import sqlalchemy as sa
import sqlalchemy.exc as sa_exc

from cittadelnoi.stores.errori_db import (
    DANNEGGIATO,
    IRRAGGIUNGIBILE,
    OCCUPATO,
    PIENO,
    SOLA_LETTURA,
    causa_db,
    errore_scrittura,
)


def _sqlite(codice: int, testo: str) -> sa_exc.OperationalError:
    orig = sqlite3.OperationalError(testo)
    orig.sqlite_errorcode = codice  # type: ignore[attr-defined]
    return sa_exc.OperationalError("INSERT …", {}, orig)


def _pg(testo: str, sqlstate: str | None) -> psycopg.errors.OperationalError:
    """A psycopg error with the given SQLSTATE (psycopg keeps it as a class attribute)."""
    classe = type("ErrorePg", (psycopg.errors.OperationalError,), {"sqlstate": sqlstate})
    return classe(testo)


@pytest.mark.parametrize(
    ("codice", "testo", "atteso"),
    [
        (5, "disk is full", (OCCUPATO, True)),  # SQLITE_BUSY, whatever the words say
        (261, "no such thing", (OCCUPATO, True)),  # SQLITE_BUSY_RECOVERY: extended code
        (8, "database is locked", (SOLA_LETTURA, False)),  # SQLITE_READONLY
        (13, "read-only", (PIENO, False)),  # SQLITE_FULL
        (26, "connection", (DANNEGGIATO, False)),  # SQLITE_NOTADB
    ],
)
def test_sqlite_result_codes_decide(codice, testo, atteso):
    assert causa_db(_sqlite(codice, testo)) == atteso


@pytest.mark.parametrize(
    ("sqlstate", "atteso"),
    [
        ("40P01", (OCCUPATO, True)),
        ("55P03", (OCCUPATO, True)),
        ("25006", (SOLA_LETTURA, False)),
        ("53100", (PIENO, False)),
        ("08006", (IRRAGGIUNGIBILE, True)),
        (None, (IRRAGGIUNGIBILE, True)),  # no reply from the server at all
    ],
)
def test_postgresql_sqlstate_decides(sqlstate, atteso):
    exc = sa_exc.OperationalError("SELECT 1", {}, _pg("database is locked, disk full, corrupt", sqlstate))
    assert causa_db(exc) == atteso


def test_file_system_errors_by_errno_and_unknown_errors_by_their_kind():
    assert causa_db(OSError(errno.ENOSPC, "locked"))[0] == PIENO
    assert causa_db(OSError(errno.EROFS, "busy"))[0] == SOLA_LETTURA
    assert causa_db(sa_exc.IntegrityError("x", {}, sqlite3.IntegrityError("database is locked"))) == (
        "errore del database (IntegrityError)",
        False,
    )


def test_a_real_locked_sqlite_database_is_busy(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    uno = sa.create_engine(url, connect_args={"timeout": 0.05})
    due = sa.create_engine(url, connect_args={"timeout": 0.05})
    with uno.connect() as c1:
        c1.exec_driver_sql("CREATE TABLE t (x)")
        c1.commit()
        c1.exec_driver_sql("BEGIN IMMEDIATE")
        with pytest.raises(sa_exc.OperationalError) as exc, due.connect() as c2:
            c2.exec_driver_sql("BEGIN IMMEDIATE")
        assert causa_db(exc.value) == (OCCUPATO, True)
        assert "riprovare tra qualche secondo" in errore_scrittura(exc.value).messaggio
