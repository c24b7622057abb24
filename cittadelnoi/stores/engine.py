"""Engines for the register database: the embedded SQLite file, SQLite settings, migrations."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from cittadelnoi.core import paths

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


def url_predefinito() -> str:
    """The embedded database: var/cittadelnoi.sqlite next to the code (git-ignored); the sample
    data have their own, var/cittadelnoi-esempio.sqlite, so they never mix with the register."""
    nome = "cittadelnoi-esempio.sqlite" if paths.dati_di_esempio() else "cittadelnoi.sqlite"
    return f"sqlite:///{ROOT / 'var' / nome}"


def configura(engine: Engine) -> Engine:
    """SQLite: foreign keys on, WAL, wait for locks, and real transactions (pysqlite's own
    transaction handling disabled; writes start with BEGIN IMMEDIATE so two writers queue
    instead of failing on lock upgrade). Call before the engine's first connection."""
    if engine.dialect.name != "sqlite" or getattr(engine, "_cdn_configurato", False):
        return engine
    database = engine.url.database
    file_db = database not in (None, "", ":memory:")
    if database and file_db:
        # A URI filename (uri=true: "file:/path?mode=ro") names its file after "file:"; its folder,
        # not one called "file:" in the working directory.
        uri = str(engine.url.query.get("uri", "")).lower() in ("1", "true", "yes", "on")
        percorso = database.removeprefix("file:").split("?")[0] if uri else database
        Path(percorso).parent.mkdir(parents=True, exist_ok=True)

    @event.listens_for(engine, "connect")
    def _connetti(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
        if file_db:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _inizia(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("cdn_scrittura") else "BEGIN")

    engine._cdn_configurato = True  # type: ignore[attr-defined]
    return engine


def crea_engine(url: str) -> Engine:
    return configura(sa.create_engine(url, pool_pre_ping=True))


def aggiorna_schema(engine: Engine) -> None:
    """Bring the schema to the latest Alembic revision (idempotent; several replicas may call it
    at once: on PostgreSQL they queue on an advisory lock)."""
    from alembic.config import Config

    from alembic import command

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    with engine.connect() as conn:
        conn = conn.execution_options(cdn_scrittura=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHIAVE_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
