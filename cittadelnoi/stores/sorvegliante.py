"""One watcher per process that keeps the current data version in memory.

Every viewer's page has a small fragment that, every few seconds, asks whether the data changed
(ui.archivio.aggiorna_se_cambiano_i_dati). With one database query per viewer per tick, 300 idle
tabs meant 100 queries a second. Instead one thread per process (`Sorvegliante`) watches the
store and keeps `versione` up to date; the fragments compare against that value in memory.

How the thread learns about a change, per store (`Segnale`):

- PostgreSQL: `LISTEN cittadelnoi_dati` on a connection of its own; every write sends
  `NOTIFY cittadelnoi_dati` in its transaction (stores.scrittura), so the notification arrives
  when the write commits, from any replica. No query at all while nothing changes.
- SQLite: `PRAGMA data_version` on a connection of its own, once a second: it changes when
  another connection (any process) commits. It reads no table.
- Files (CITTADELNOI_ARCHIVIO=file), and the reference files next to the database: size and
  modification time of each file, once a second (a stat(), no reading).

The snapshot itself is rebuilt by the store's `get()`, under its lock, so a page run that comes
after the change finds it ready.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from typing import Protocol

from sqlalchemy.engine import Engine

from cittadelnoi.stores.engine import CANALE_DATI as CANALE

log = logging.getLogger(__name__)


class Segnale(Protocol):
    def attendi(self, secondi: float) -> bool:
        """Wait at most `secondi`; True when the data may have changed (then the store is read)."""

    def chiudi(self) -> None: ...


class SegnaleTempo:
    """No push from the store: report "may have changed" once per period (the store's get() is
    then only a stat() per file: DataStore)."""

    def __init__(self) -> None:
        self._fine = threading.Event()

    def attendi(self, secondi: float) -> bool:
        return not self._fine.wait(secondi)

    def chiudi(self) -> None:
        self._fine.set()


class SegnaleSqlite:
    """PRAGMA data_version on a dedicated connection: it changes when another connection commits."""

    def __init__(self, percorso: str) -> None:
        self._percorso = percorso
        self._conn: sqlite3.Connection | None = None
        self._ultimo: int | None = None
        self._fine = threading.Event()

    def _versione(self) -> int:
        if self._conn is None:
            self._conn = sqlite3.connect(self._percorso, check_same_thread=False, timeout=15)
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def attendi(self, secondi: float) -> bool:
        if self._fine.wait(secondi):
            return False
        try:
            v = self._versione()
        except sqlite3.Error:
            self.chiudi_connessione()
            return True
        cambiato = v != self._ultimo
        self._ultimo = v
        return cambiato

    def chiudi_connessione(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def chiudi(self) -> None:
        self._fine.set()
        self.chiudi_connessione()


class SegnalePostgres:
    """LISTEN on a dedicated autocommit connection; writes NOTIFY in their transaction."""

    def __init__(self, engine: Engine) -> None:
        self._dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._conn = None
        self._fine = False

    def _connetti(self):
        import psycopg

        conn = psycopg.connect(self._dsn, autocommit=True, connect_timeout=10)
        conn.execute(f"LISTEN {CANALE}")
        return conn

    def attendi(self, secondi: float) -> bool:
        if self._fine:
            return False
        try:
            if self._conn is None or self._conn.closed:
                self._conn = self._connetti()
                return True  # (re)connected: changes may have been missed meanwhile
            for _ in self._conn.notifies(timeout=secondi, stop_after=1):
                return True
            return False
        except Exception as exc:  # server restarted, network: try again next time, read the store now
            log.warning("sorvegliante: connessione LISTEN persa (%s)", exc)
            self._chiudi_conn()
            time.sleep(min(secondi, 1.0))
            return True

    def _chiudi_conn(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None

    def chiudi(self) -> None:
        self._fine = True
        self._chiudi_conn()


def segnale_per(engine: Engine | None) -> Segnale:
    if engine is None:
        return SegnaleTempo()
    if engine.dialect.name == "postgresql":
        return SegnalePostgres(engine)
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        return SegnaleSqlite(engine.url.database)
    return SegnaleTempo()


class Sorvegliante:
    """A daemon thread that keeps `versione` (the store's current data version) in memory.

    `store` is an Archivio; for a DbStore, `store.get(interroga_db=False)` checks only the
    reference files, `get()` also reads the data version from the database (done only when the
    signal says the data may have changed, and at least every `ricontrollo_s` seconds as a
    safety net)."""

    def __init__(self, store, ogni_s: float = 1.0, ricontrollo_s: float = 60.0) -> None:
        self.store = store
        self.ogni_s = ogni_s
        self.ricontrollo_s = ricontrollo_s
        self.versione: str | None = None
        self.letture_db = 0  # how many times the database was read (for tests and the benchmark)
        self.giri = 0
        self._segnale: Segnale = segnale_per(getattr(store, "engine", None))
        self._fine = threading.Event()
        self._thread = threading.Thread(target=self._giro, name="cittadelnoi-sorvegliante", daemon=True)
        self._ultima_lettura = 0.0

    def avvia(self) -> Sorvegliante:
        self._segnale.attendi(0)  # the first look: connect, read data_version, LISTEN
        self._leggi(db=True)
        self._thread.start()
        return self

    def ferma(self) -> None:
        self._fine.set()
        self._segnale.chiudi()
        self._thread.join(5)

    def _leggi(self, db: bool) -> None:
        if db:
            self.letture_db += 1
            self._ultima_lettura = time.monotonic()
            snap, _ = self.store.get()
        elif hasattr(self.store, "engine"):
            snap, _ = self.store.get(interroga_db=False)
        else:
            snap, _ = self.store.get()
        if snap is not None:
            self.versione = snap.versione

    def _giro(self) -> None:
        while not self._fine.is_set():
            try:
                cambiato = self._segnale.attendi(self.ogni_s)
                if self._fine.is_set():
                    return
                scaduto = time.monotonic() - self._ultima_lettura > self.ricontrollo_s
                self._leggi(db=cambiato or scaduto)
                self.giri += 1
            except Exception:  # never let the thread die: the next round tries again
                log.exception("sorvegliante: errore durante il controllo dei dati")
                self._fine.wait(self.ogni_s)
