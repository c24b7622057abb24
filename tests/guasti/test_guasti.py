"""Fault injection: each fault gives an Italian message saying what happened, and the last good
data are still served. File mode (stores.file.DataStore) and the SQLite database (stores.db.DbStore).

Faults without a file: a file that cannot be read (permission), a full disk (OSError ENOSPC, and
SQLite's own «database or disk is full» through PRAGMA max_page_count), a locked database (another
connection holding the write lock), a read-only database, a corrupt file or database, missing
columns, an exception inside a loader.
"""

from __future__ import annotations

import errno
import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from cittadelnoi.core.errors import ErroreArchivio
from cittadelnoi.loaders.punti import MAX_TESTO
from cittadelnoi.stores import engine as mod_engine
from cittadelnoi.stores import file as mod_file
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.engine import crea_engine
from cittadelnoi.stores.file import DataStore
from tests.casi.test_casi import cartella_dati
from tests.conftest import amministratore

# --- file mode -------------------------------------------------------------------------------------


@pytest.fixture
def file_store(tmp_path: Path):
    dati = cartella_dati(tmp_path / "dati", "punti-senza-indirizzo.csv", "sportelli-senza-dimostrativo.csv")
    store = DataStore(dati, tmp_path / "copia")
    snap, errori = store.get()
    assert errori == [] and snap is not None
    return store, snap


def tocca(path: Path, testo: str | None = None) -> None:
    """Change a file so the store reloads it (size and mtime)."""
    testo = path.read_text("utf-8") if testo is None else testo
    path.write_text(testo + "\n", "utf-8")


def test_file_non_leggibile(file_store, monkeypatch: pytest.MonkeyPatch):
    store, buono = file_store
    leggi = Path.read_bytes

    def negato(self: Path) -> bytes:
        if self.name == "sportelli.csv":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return leggi(self)

    monkeypatch.setattr(Path, "read_bytes", negato)
    tocca(store.directory / "sportelli.csv")
    snap, errori = store.get()
    assert snap is buono
    assert [str(p) for p in errori] == [
        "sportelli.csv: permesso negato o disco in sola lettura; il file non è stato caricato"
    ]
    assert not any("/" in p.messaggio for p in errori)  # no server path


def test_disco_pieno_nella_copia_di_riserva(file_store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    store, _ = file_store
    copia = (tmp_path / "copia" / "punti.csv").read_bytes()

    def pieno(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(mod_file.shutil, "copy2", pieno)
    nuovo = (store.directory / "punti.csv").read_text("utf-8").replace("Punto di comunità Don Bosco", "Quercia", 1)
    (store.directory / "punti.csv").write_text(nuovo, "utf-8")
    snap, errori = store.get()
    assert errori == []  # the new files are good: they are served
    assert "Quercia" in set(snap.punti["nome"])
    avvisi = [str(p) for p in snap.avvisi]
    assert (
        "copia di riserva dei dati: disco pieno: il file non può essere scritto; i dati sono mostrati, la copia di riserva non è aggiornata"
        in avvisi
    )
    assert (tmp_path / "copia" / "punti.csv").read_bytes() == copia  # the old copy is whole


def test_file_corrotto(file_store):
    store, buono = file_store
    (store.directory / "punti.csv").write_bytes(b"PK\x03\x04\x00\x00garbage\xff\xfe")
    snap, errori = store.get()
    assert snap is buono
    assert [str(p) for p in errori] == [
        "punti.csv: il file non è testo (contiene byte nulli): forse è un .xlsx rinominato? Salvarlo come «CSV UTF-8»"
    ]


def test_colonne_mancanti(file_store):
    store, buono = file_store
    testo = (
        (store.directory / "sportelli.csv")
        .read_text("utf-8")
        .replace("id_punto,giorno,inizio,fine,", "id_punto,giorno,inizio,", 1)
    )
    righe = [",".join(r.split(",")[:3] + r.split(",")[4:]) if i else r for i, r in enumerate(testo.splitlines())]
    (store.directory / "sportelli.csv").write_text("\n".join(righe) + "\n", "utf-8")
    snap, errori = store.get()
    assert snap is buono
    assert "sportelli.csv, riga 1, colonna «fine»: colonna obbligatoria mancante" in [str(p) for p in errori]


def test_eccezione_in_un_loader(file_store, monkeypatch: pytest.MonkeyPatch):
    store, buono = file_store

    def guasto(*_a, **_k):
        raise ValueError("/srv/segreto/percorso: qualcosa è andato storto")

    monkeypatch.setattr(mod_file, "carica_sportelli", guasto)
    tocca(store.directory / "sportelli.csv")
    snap, errori = store.get()
    assert snap is buono
    assert [str(p) for p in errori] == [
        "sportelli.csv: errore imprevisto nel leggerlo (ValueError); il file non è stato caricato"
    ]
    assert "/srv" not in str(errori)


# --- database -----------------------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path):
    dati = cartella_dati(tmp_path / "dati", "punti-senza-indirizzo.csv", "sportelli-senza-dimostrativo.csv")
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    store = DbStore(crea_engine(url), dati)
    snap, errori = store.get()
    assert errori == [] and snap is not None
    yield store, snap, tmp_path / "r.sqlite"
    store.engine.dispose()


def modifica(store: DbStore, nome: str = "Nuovo nome"):
    rec, orario, versione = store.punto("mompiano")
    return store.salva_punto("mompiano", {**rec, "nome": nome}, orario, versione, amministratore("prova"))


def test_database_bloccato_da_una_lunga_importazione(db, monkeypatch: pytest.MonkeyPatch):
    store, buono, path = db
    monkeypatch.setattr(mod_engine, "BUSY_TIMEOUT_MS", 200)
    store.engine.dispose()  # new connections take the short timeout
    altro = sqlite3.connect(path, isolation_level=None)
    altro.execute("BEGIN IMMEDIATE")  # another writer holds the lock (e.g. a long import)
    try:
        with pytest.raises(ErroreArchivio) as exc:
            modifica(store)
        assert exc.value.riprova
        assert exc.value.messaggio == (
            "il database è occupato da un'altra scrittura (per esempio un'importazione lunga): nulla è stato "
            "salvato, il registro è com'era. La consultazione continua con i dati attuali; riprovare tra qualche secondo."
        )
        snap, errori = store.get()  # readers are not blocked (WAL)
        assert snap is buono and errori == []
    finally:
        altro.execute("ROLLBACK")
        altro.close()
    assert modifica(store).revisione is not None  # once free, the same edit goes through


def test_database_bloccato_una_modifica_aspetta(db, monkeypatch: pytest.MonkeyPatch):
    store, _, path = db
    monkeypatch.setattr(mod_engine, "BUSY_TIMEOUT_MS", 30_000)
    store.engine.dispose()
    altro = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    altro.execute("BEGIN IMMEDIATE")
    preso = threading.Event()

    def libera() -> None:
        preso.wait()
        altro.execute("ROLLBACK")

    t = threading.Thread(target=libera)
    t.start()
    try:
        rec, orario, versione = store.punto("mompiano")
        preso.set()  # the lock goes away while the edit waits on busy_timeout
        esito = store.salva_punto("mompiano", {**rec, "nome": "Atteso"}, orario, versione, amministratore("prova"))
    finally:
        t.join()
        altro.close()
    assert esito.revisione is not None


def test_database_in_sola_lettura(db, tmp_path, monkeypatch):
    store, buono, path = db
    store.engine.dispose()
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    sola = DbStore(crea_engine(f"sqlite:///file:{path}?mode=ro&uri=true"), store.data_dir)
    assert list(cwd.iterdir()) == []  # the URI names an existing file: no folder "file:" is made
    snap, errori = sola.get()
    assert errori == [] and snap is not None
    assert list(snap.punti["id"]) == list(buono.punti["id"])  # still serves what it holds
    with pytest.raises(ErroreArchivio) as exc:
        modifica(sola)
    assert exc.value.messaggio.startswith("il database è in sola lettura: nulla è stato salvato")
    sola.engine.dispose()


def test_database_disco_pieno(db):
    store, buono, _ = db

    @sa.event.listens_for(store.engine, "connect")
    def _pieno(dbapi_conn, _rec):  # SQLite's own "database or disk is full": no page may be added
        cur = dbapi_conn.cursor()
        pagine = cur.execute("PRAGMA page_count").fetchone()[0]
        cur.execute(f"PRAGMA max_page_count={pagine}")
        cur.close()

    store.engine.dispose()
    with pytest.raises(ErroreArchivio) as exc:
        modifica(store, "x" * MAX_TESTO)  # the longest text a field takes: new pages all the same
    assert exc.value.messaggio.startswith("disco pieno: nulla è stato salvato, il registro è com'era.")
    snap, errori = store.get()
    assert snap is buono and errori == []


def test_database_corrotto(db, tmp_path: Path):
    store, _, path = db
    store.engine.dispose()
    rotto = tmp_path / "rotto.sqlite"
    rotto.write_bytes(b"questo non e' un database SQLite" * 200)
    nuovo = DbStore(crea_engine(f"sqlite:///{rotto}"), store.data_dir)
    snap, errori = nuovo.get()
    assert snap is None
    assert [p.messaggio for p in errori] == [
        "il file del database è danneggiato: continuo a mostrare gli ultimi dati letti; le modifiche potrebbero non essere visibili"
    ]
    nuovo.engine.dispose()


def test_database_irraggiungibile_dopo_l_avvio(db, monkeypatch: pytest.MonkeyPatch):
    store, buono, _ = db

    def giu(*_a, **_k):
        raise sa.exc.OperationalError("SELECT 1", {}, sqlite3.OperationalError("unable to open database file"))

    monkeypatch.setattr(store.engine, "connect", giu)
    snap, errori = store.get()
    assert snap is buono
    assert [p.messaggio for p in errori] == [
        "database non raggiungibile: continuo a mostrare gli ultimi dati letti; le modifiche potrebbero non essere "
        "visibili (riprovare tra qualche secondo)"
    ]
    with pytest.raises(ErroreArchivio) as exc:
        store.registro_attuale()
    assert exc.value.riprova


def test_eccezione_in_un_loader_del_database(db, monkeypatch: pytest.MonkeyPatch):
    store, buono, _ = db
    from cittadelnoi.loaders import registro

    modifica(store)  # a new version: the next get() rebuilds the snapshot

    def guasto(*_a, **_k):
        raise KeyError("colonna_inventata")

    monkeypatch.setattr(registro, "valida_record", guasto)
    snap, errori = store.get()
    assert snap is buono
    assert [str(p) for p in errori] == [
        "database: errore imprevisto nel leggerlo (KeyError); il file non è stato caricato"
    ]


def test_copia_dei_dati_non_sostituita_da_un_file_rifiutato(file_store, tmp_path: Path):
    store, buono = file_store
    prima = {p.name: p.read_bytes() for p in (tmp_path / "copia").iterdir()}
    (store.directory / "punti.csv").write_text("id,nome\nx,y\n", "utf-8")
    snap, errori = store.get()
    assert snap is buono and errori
    assert {p.name: p.read_bytes() for p in (tmp_path / "copia").iterdir()} == prima
