"""Issue 26, point 3: how stores.engine tells a read-only SQLite file (no database server needed)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from cittadelnoi.stores.engine import crea_engine, sola_lettura


def _copia(tmp_path: Path) -> Path:
    originale = tmp_path / "originale.sqlite"
    con = sqlite3.connect(originale)
    con.execute("CREATE TABLE t (x)")
    con.execute("INSERT INTO t VALUES (1)")
    con.commit()
    copia = tmp_path / "copia.sqlite"
    con.execute("VACUUM INTO ?", (str(copia),))
    con.close()
    return copia


def test_a_writable_file_switches_to_wal(tmp_path: Path):
    copia = _copia(tmp_path)
    engine = crea_engine(f"sqlite:///{copia}")
    assert not sola_lettura(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


def test_a_file_opened_read_only_is_read_as_it_is(tmp_path: Path):
    copia = _copia(tmp_path)
    prima = copia.read_bytes()
    engine = crea_engine(f"sqlite:///file:{copia}?mode=ro&uri=true")
    assert sola_lettura(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT x FROM t").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
    engine.dispose()
    assert copia.read_bytes() == prima and not list(tmp_path.glob("copia.sqlite-*"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes a chmod 0444 file anyway: see the mode=ro test")
def test_a_chmod_0444_file_is_read_only_for_its_user(tmp_path: Path):
    copia = _copia(tmp_path)
    copia.chmod(0o444)
    engine = crea_engine(f"sqlite:///{copia}")
    assert sola_lettura(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT x FROM t").scalar() == 1
    engine.dispose()


def test_a_wal_file_opened_read_only_is_read_only_too(tmp_path: Path):
    """A live database (WAL) opened with mode=ro: the WAL switch is then a no-op that does not fail."""
    copia = _copia(tmp_path)
    scrivibile = crea_engine(f"sqlite:///{copia}")
    assert not sola_lettura(scrivibile)  # switched to WAL
    engine = crea_engine(f"sqlite:///file:{copia}?mode=ro&uri=true")
    assert sola_lettura(engine)
    engine.dispose()
    scrivibile.dispose()
