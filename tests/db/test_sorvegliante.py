"""The process's data watcher (stores.sorvegliante) on SQLite and PostgreSQL: a change saved by
another replica reaches its in-memory version without a database read per check."""

from __future__ import annotations

import time
from pathlib import Path

from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.engine import crea_engine
from cittadelnoi.stores.sorvegliante import Sorvegliante
from tests.conftest import amministratore


def _attendi(condizione, secondi: float = 30.0) -> bool:
    fine = time.monotonic() + secondi
    while time.monotonic() < fine:
        if condizione():
            return True
        time.sleep(0.05)
    return condizione()


def test_a_change_from_another_replica_reaches_the_watcher_without_reads_while_idle(
    store: DbStore, db_url: str, data_copy: Path
):
    # This replica's watcher, and another replica (its own engine and store) that saves an edit.
    sorv = Sorvegliante(store, ogni_s=0.1).avvia()
    altro_engine = crea_engine(db_url)
    try:
        prima = sorv.versione
        assert prima == store.get()[0].versione
        # Idle: many checks, no read of the database (a push signal: LISTEN or PRAGMA data_version).
        assert _attendi(lambda: sorv.giri >= 10)
        assert sorv.letture_db == 1

        altra = DbStore(altro_engine, data_copy)
        rec, orario, v = altra.punto("demo-chiesanuova")
        altra.salva_punto("demo-chiesanuova", {**rec, "stato": "attivo"}, orario, v, amministratore("anna"))
        attesa = altra.get()[0].versione
        assert attesa != prima

        assert _attendi(lambda: sorv.versione == attesa), (sorv.versione, attesa)
        # The store the pages read was refreshed by the watcher: the edit is there.
        snap, _ = store.get(interroga_db=False)
        assert snap.versione == attesa
        assert snap.punti.set_index("id").at["demo-chiesanuova", "stato"] == "attivo"
        letture = sorv.letture_db
        assert letture >= 2
        # And idle again afterwards.
        giri = sorv.giri
        assert _attendi(lambda: sorv.giri >= giri + 10)
        assert sorv.letture_db <= letture + 1
    finally:
        sorv.ferma()
        altro_engine.dispose()


def test_the_watcher_survives_a_lost_connection(store: DbStore):
    sorv = Sorvegliante(store, ogni_s=0.05).avvia()
    try:
        segnale = sorv._segnale
        # Drop the watcher's own connection as a server restart would: it reconnects and reads.
        if hasattr(segnale, "_conn") and segnale._conn is not None:
            segnale._conn.close()
        letture = sorv.letture_db
        assert _attendi(lambda: sorv.letture_db > letture or not hasattr(segnale, "_conn"))
        assert sorv._thread.is_alive()
        assert sorv.versione == store.get()[0].versione
    finally:
        sorv.ferma()
