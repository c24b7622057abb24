"""Engines for the register database: the embedded SQLite file, SQLite settings, migrations."""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from cittadelnoi.core import paths
from cittadelnoi.core.errors import ErroreArchivio

ROOT = paths.ROOT
FILE_STATICI = ("quartieri.geojson", "finanziamenti.csv", "popolazione.csv")  # popolazione.csv optional
# pg_advisory_xact_lock key taken by every write and by migrations: writes are few, and one at a
# time keeps the data version (revisioni.id) in commit order.
_CHIAVE_LOCK = 0x43444E  # "CDN"
# How long an SQLite write waits for another one (e.g. a long import) before it is told to retry
# («il database è occupato ... riprovare tra qualche secondo», stores.errori_db.causa_db).
BUSY_TIMEOUT_MS = 15_000
# PostgreSQL NOTIFY channel: every write notifies it at commit (stores.sorvegliante listens).
CANALE_DATI = "cittadelnoi_dati"

_log = logging.getLogger(__name__)


class SchemaSconosciuto(ErroreArchivio):
    """The database's schema version is not one this code knows (a newer release wrote it).

    `messaggio` is Italian and names both versions; nothing was written."""


def url_predefinito() -> str:
    """The embedded database: var/cittadelnoi.sqlite next to the code (git-ignored); the sample
    data have their own, var/cittadelnoi-esempio.sqlite, so they never mix with the register."""
    nome = "cittadelnoi-esempio.sqlite" if paths.dati_di_esempio() else "cittadelnoi.sqlite"
    return f"sqlite:///{ROOT / 'var' / nome}"


def configura(engine: Engine) -> Engine:
    """SQLite: foreign keys on, WAL, wait for locks, and real transactions (pysqlite's own
    transaction handling disabled; writes start with BEGIN IMMEDIATE so two writers queue
    instead of failing on lock upgrade). Call before the engine's first connection.

    A file SQLite opens read-only (opened with `mode=ro`, a file the process may not write, a
    read-only disk) cannot switch to WAL: it keeps its journal mode, is still read, and the
    engine is marked read-only (`sola_lettura`), so the app serves it and offers no edit."""
    if engine.dialect.name != "sqlite" or getattr(engine, "_cdn_configurato", False):
        return engine
    database = engine.url.database
    file_db = database not in (None, "", ":memory:")
    percorso = ""
    if database and file_db:
        # A URI filename (uri=true: "file:/path?mode=ro") names its file after "file:"; its folder,
        # not one called "file:" in the working directory.
        uri = str(engine.url.query.get("uri", "")).lower() in ("1", "true", "yes", "on")
        percorso = database.removeprefix("file:").split("?")[0] if uri else database
        Path(percorso).parent.mkdir(parents=True, exist_ok=True)
    # Opened read-only on purpose (mode=ro), or a file this process may not write: read-only even
    # when already in WAL mode (then the WAL switch below is a no-op and does not fail).
    ro_voluto = file_db and str(engine.url.query.get("mode", "")).lower() == "ro"

    def _non_scrivibile() -> bool:
        return bool(ro_voluto or (percorso and Path(percorso).exists() and not os.access(percorso, os.W_OK)))

    @event.listens_for(engine, "connect")
    def _connetti(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
        if file_db:
            try:
                cur.execute("PRAGMA journal_mode=WAL")
                engine._cdn_sola_lettura = _non_scrivibile()  # type: ignore[attr-defined]
            except sqlite3.OperationalError as exc:
                if not engine.__dict__.get("_cdn_sola_lettura"):
                    _log.warning("database SQLite in sola lettura (modalità WAL non attivabile: %s)", exc)
                engine._cdn_sola_lettura = True  # type: ignore[attr-defined]
        cur.close()

    @event.listens_for(engine, "begin")
    def _inizia(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("cdn_scrittura") else "BEGIN")

    engine._cdn_configurato = True  # type: ignore[attr-defined]
    return engine


def sola_lettura(engine: Engine) -> bool:
    """True when the engine's SQLite file could not be opened for writing (see `configura`);
    opens one connection when none was opened yet. False for PostgreSQL and in-memory SQLite."""
    if engine.dialect.name != "sqlite":
        return False
    if "_cdn_sola_lettura" not in engine.__dict__:
        with engine.connect():
            pass
    return bool(engine.__dict__.get("_cdn_sola_lettura", False))


def crea_engine(url: str) -> Engine:
    return configura(sa.create_engine(url, pool_pre_ping=True))


def _config_alembic():
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    return cfg


def versioni_codice() -> list[str]:
    """The Alembic revisions this code knows, oldest first (e.g. ["0001", ..., "0006"])."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config_alembic())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def versione_schema(conn: sa.Connection) -> str | None:
    """The database's Alembic revision (table alembic_version); None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def controlla_versione(conn: sa.Connection) -> str | None:
    """The database's schema version; raises SchemaSconosciuto when this code does not know it
    (a database written by a newer release: upgrading it, or writing to it, could lose data)."""
    versione = versione_schema(conn)
    note = versioni_codice()
    if versione is not None and versione not in note:
        raise SchemaSconosciuto(
            f"il database ha la versione di schema {versione}, più recente di questo programma "
            f"(che conosce fino alla {note[-1]}): aggiornare il programma; nel database non è stato scritto nulla"
        )
    return versione


def aggiorna_schema(engine: Engine) -> None:
    """Bring the schema to the latest Alembic revision (idempotent; several replicas may call it
    at once: on PostgreSQL they queue on an advisory lock). Raises SchemaSconosciuto, writing
    nothing, when the database is newer than the code."""
    from alembic import command

    cfg = _config_alembic()
    with engine.connect() as conn:
        controlla_versione(conn)
        conn.rollback()
        conn = conn.execution_options(cdn_scrittura=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHIAVE_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
