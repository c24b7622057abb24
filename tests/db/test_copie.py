"""Issue 26: the restore drill (fill, edit while a backup runs, back up, edit more, restore) and the
refusals of a wrong or damaged backup, on SQLite and PostgreSQL (cittadelnoi/stores/backup.py).

Tables are compared generically: every table of stores.schema.metadata plus alembic_version, so a
table a later migration adds is in the drill without touching this file."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from cittadelnoi.auth.accesso import hash_password
from cittadelnoi.core.ruoli import Ruolo
from cittadelnoi.stores import backup
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.engine import crea_engine, versioni_codice
from cittadelnoi.stores.schema import metadata
from tests.conftest import amministratore
from tests.postgres import nuovo_database


def contenuto(url: str) -> dict[str, list[tuple]]:
    """Every table of the schema with its rows (sorted), and the schema version."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            tabelle = {
                t.name: sorted((tuple(r) for r in conn.execute(sa.select(t))), key=repr) for t in metadata.sorted_tables
            }
            tabelle["alembic_version"] = [
                tuple(r) for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")
            ]
    finally:
        engine.dispose()
    return tabelle


def _altro_database(db_url: str, tmp_path: Path, request) -> str:
    if db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'nuova' / 'registro.sqlite'}"
    return nuovo_database(request.getfixturevalue("postgres_server"))


def test_restore_drill(store: DbStore, db_url: str, data_copy: Path, tmp_path: Path, request):
    # Fill: an account with an e-mail, an edit of a point.
    autore = amministratore("anna")
    store.registro_account().crea("carla", "Carla", Ruolo.AMMINISTRATORE, hash_password("segreta"), autore)
    rec, orario, v = store.punto("demo-chiesanuova")
    store.salva_punto("demo-chiesanuova", {**rec, "nota": "prima della copia"}, orario, v, autore)
    stati = [contenuto(db_url)]
    # Edit while the backup runs: every committed state is recorded; the backup must equal one of them.
    basta, scritte = threading.Event(), threading.Event()

    def scrivi() -> None:
        completo = True
        while not basta.is_set():
            store.segna_completo(completo, autore)
            stati.append(contenuto(db_url))
            completo = not completo
            scritte.set()

    scrittore = threading.Thread(target=scrivi)
    scrittore.start()
    try:
        scritte.wait(30)
        esito = backup.salva(db_url, tmp_path / "copie")
    finally:
        basta.set()
        scrittore.join()
    assert len(stati) >= 2 and esito.versione == versioni_codice()[-1] and esito.punti > 0
    assert (tmp_path / "copie" / f"{esito.file.name}.sha256").read_text().split()[0] == backup.sha256(esito.file)
    # Edit more, after the backup.
    rec, orario, v = store.punto("demo-chiesanuova")
    store.salva_punto("demo-chiesanuova", {**rec, "nota": "dopo la copia"}, orario, v, autore)
    store.registro_account().crea("dario", "Dario", Ruolo.AMMINISTRATORE, hash_password("altra"), autore)
    dopo = contenuto(db_url)
    store.engine.dispose()  # the installation is stopped

    for destinazione in (db_url, _altro_database(db_url, tmp_path, request)):  # the same installation, a new one
        ripristinato = backup.ripristina(destinazione, esito.file)
        assert ripristinato.punti == esito.punti and ripristinato.versione == esito.versione
        restored = contenuto(destinazione)
        assert restored in stati and restored != dopo
        if destinazione.startswith("sqlite"):
            percorso = Path(make_url(destinazione).database)
            # What VACUUM INTO writes: no WAL (the read-only case of issue 26, point 3).
            assert sqlite3.connect(percorso).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            # Served read-only as it is (mode=ro: tests may run as root, whom chmod 0444 does not stop).
            sola = DbStore(crea_engine(f"sqlite:///file:{percorso}?mode=ro&uri=true"), data_copy)
            snap, errori = sola.get()
            assert errori == [] and sola.sola_lettura() and not sola.modificabile
            assert snap.punti.set_index("id").at["demo-chiesanuova", "nota"] == "prima della copia"
            sola.engine.dispose()
        # The app starts on it and serves it.
        app = DbStore(crea_engine(destinazione), data_copy)
        snap, errori = app.get()
        assert errori == [] and app.modificabile
        assert snap.punti.set_index("id").at["demo-chiesanuova", "nota"] == "prima della copia"
        assert {a.utente for a in app.registro_account().elenco()} >= {"carla"}
        assert "dario" not in {a.utente for a in app.registro_account().elenco()}
        app.engine.dispose()
    if db_url.startswith("sqlite"):
        tenuti = list(Path(make_url(db_url).database).parent.glob("registro.sqlite.prima-del-ripristino-*"))
        assert len(tenuti) == 1, "the replaced database is kept next to it"


def _copia_con_somma(sorgente: Path, destinazione: Path) -> Path:
    destinazione.write_bytes(sorgente.read_bytes())
    destinazione.with_name(destinazione.name + ".sha256").write_text(
        f"{backup.sha256(destinazione)}  {destinazione.name}\n", encoding="utf-8"
    )
    return destinazione


def test_wrong_or_damaged_backups_are_refused_and_change_nothing(store: DbStore, db_url: str, tmp_path: Path):
    esito = backup.salva(db_url, tmp_path / "copie")
    rec, orario, v = store.punto("demo-chiesanuova")
    store.salva_punto("demo-chiesanuova", {**rec, "nota": "dopo la copia"}, orario, v, amministratore("anna"))
    prima = contenuto(db_url)
    store.engine.dispose()
    file_db = Path(make_url(db_url).database) if db_url.startswith("sqlite") else None
    byte_prima = file_db.read_bytes() if file_db else b""

    alterata = tmp_path / "alterata" / esito.file.name
    alterata.parent.mkdir()
    _copia_con_somma(esito.file, alterata)
    with alterata.open("r+b") as f:  # one byte changed after the checksum was written
        f.seek(len(alterata.read_bytes()) // 2)
        f.write(b"\xff")
    casi = {"la somma SHA-256 non corrisponde": alterata}

    troncata = _copia_con_somma(esito.file, tmp_path / f"troncata{esito.file.suffix}")
    troncata.write_bytes(troncata.read_bytes()[: len(troncata.read_bytes()) // 2])
    _copia_con_somma(troncata, troncata)  # a damaged file with a matching checksum
    casi["danneggiat" if file_db else "non è un archivio pg_dump leggibile"] = troncata

    senza = tmp_path / "senza" / esito.file.name
    senza.parent.mkdir()
    senza.write_bytes(esito.file.read_bytes())
    casi["manca"] = senza

    altro_tipo = _copia_con_somma(Path(__file__), tmp_path / "non-una-copia.sqlite")
    casi["non è un database SQLite" if file_db else "non è un archivio pg_dump leggibile"] = altro_tipo

    for atteso, file in casi.items():
        with pytest.raises(backup.CopiaNonValida, match=atteso):
            backup.ripristina(db_url, file)
    assert contenuto(db_url) == prima
    if file_db:
        assert file_db.read_bytes() == byte_prima
        assert not list(file_db.parent.glob("*.prima-del-ripristino-*"))


def test_a_backup_newer_than_the_code_is_refused(store: DbStore, db_url: str, tmp_path: Path, request):
    altro = _altro_database(db_url, tmp_path, request)
    futura = DbStore(crea_engine(altro), store.data_dir)
    futura.get()
    with futura.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    futura.engine.dispose()
    esito = backup.salva(altro, tmp_path / "copie")
    prima = contenuto(db_url)
    store.engine.dispose()
    with pytest.raises(backup.CopiaNonValida, match="versione di schema 9999, più recente di questo programma"):
        backup.ripristina(db_url, esito.file)
    assert contenuto(db_url) == prima


def test_sqlite_restore_refused_while_the_app_holds_the_database(store: DbStore, db_url: str, tmp_path: Path):
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL: the restore runs in one transaction, nothing to hold")
    esito = backup.salva(db_url, tmp_path / "copie")
    with store.engine.connect() as conn:  # the running app keeps a connection
        conn.exec_driver_sql("SELECT 1").all()
        with pytest.raises(backup.CopiaNonValida, match="è in uso"):
            backup.ripristina(db_url, esito.file)


def test_the_scripts_say_what_they_did_or_refuse(tmp_path: Path, data_copy: Path):
    """scripts/backup.sh and scripts/ripristina.sh on the database of the settings (CITTADELNOI_DB_URL)."""
    import os
    import subprocess

    from cittadelnoi.core.paths import ROOT

    percorso = tmp_path / "registro.sqlite"
    url = f"sqlite:///{percorso}"
    app = DbStore(crea_engine(url), data_copy)
    snap, _ = app.get()
    app.engine.dispose()
    env = {**os.environ, "CITTADELNOI_DB_URL": url}

    def esegui(*argomenti: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", *argomenti], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    salvata = esegui("scripts/backup.sh", str(tmp_path / "copie"))
    assert salvata.returncode == 0, salvata.stderr
    (copia,) = (tmp_path / "copie").glob("cittadelnoi-*.sqlite")
    versione = versioni_codice()[-1]
    assert salvata.stdout == (
        f"copia di {percorso} salvata in {copia}, versione schema {versione}, {len(snap.punti)} punti\n"
    )
    fatto = esegui("scripts/ripristina.sh", str(copia))
    assert fatto.returncode == 0, fatto.stderr
    (tenuto,) = tmp_path.glob("registro.sqlite.prima-del-ripristino-*")
    assert fatto.stdout == (
        f"ripristinato {percorso} da {copia}, versione schema {versione}, {len(snap.punti)} punti; "
        f"permessi {percorso.stat().st_mode & 0o7777:04o} e proprietario del file sostituito; "
        f"il file sostituito è tenuto in {tenuto}\n"
    )
    (tmp_path / "copie" / f"{copia.name}.sha256").write_text("0" * 64 + f"  {copia.name}\n", encoding="utf-8")
    prima = percorso.read_bytes()
    rifiutato = esegui("scripts/ripristina.sh", str(copia))
    assert rifiutato.returncode == 1 and rifiutato.stdout == ""
    assert rifiutato.stderr.startswith(f"rifiutato: {copia} è danneggiato o non è la copia indicata")
    assert percorso.read_bytes() == prima


def test_sqlite_restore_keeps_the_mode_of_the_replaced_file(store: DbStore, db_url: str, tmp_path: Path):
    """The restored file is the service's as the replaced one was (mkstemp alone gives 0600)."""
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL: the server owns its files")
    esito = backup.salva(db_url, tmp_path / "copie")
    store.engine.dispose()
    percorso = Path(make_url(db_url).database)
    percorso.chmod(0o640)
    fatto = backup.ripristina(db_url, esito.file)
    assert percorso.stat().st_mode & 0o7777 == 0o640
    assert "permessi 0640" in fatto.messaggio("ripristina")
    nuovo = tmp_path / "nuova" / "registro.sqlite"  # a new installation: the umask's mode
    fatto = backup.ripristina(f"sqlite:///{nuovo}", esito.file)
    maschera = os.umask(0o022)
    os.umask(maschera)
    assert nuovo.stat().st_mode & 0o7777 == 0o666 & ~maschera
    assert f"nuovo file con permessi {0o666 & ~maschera:04o}" in fatto.messaggio("ripristina")


def _resti(cartella: Path) -> list[str]:
    return sorted(p.name for p in cartella.rglob("*") if ".parziale" in p.name or p.name.startswith("cittadelnoi-"))


def test_a_backup_that_cannot_be_written_is_refused_and_leaves_nothing(
    store: DbStore, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    store.engine.dispose()
    un_file = tmp_path / "copie"
    un_file.write_text("non una cartella")
    with pytest.raises(backup.CopiaNonValida, match=f"la cartella {un_file} non si può usare per le copie"):
        backup.salva(db_url, un_file)
    with pytest.raises(backup.CopiaNonValida, match="non si può usare per le copie"):
        backup.salva(db_url, un_file / "sotto")  # cannot be created: its parent is a file
    nuova = tmp_path / "nuova" / "copie"

    def disco_pieno(_file: Path) -> str:
        raise OSError(28, "No space left on device", str(nuova / "x"))

    monkeypatch.setattr(backup, "sha256", disco_pieno)  # fails after the dump was written
    with pytest.raises(backup.CopiaNonValida, match="non riuscita: No space left on device"):
        backup.salva(db_url, nuova)
    assert not nuova.exists(), "no partial file and no empty folder left"
    assert _resti(tmp_path) == []


def test_a_damaged_or_not_a_database_source_is_refused_before_any_folder(tmp_path: Path):
    for nome, contenuto_file in {"rotto.sqlite": b"non e' un database" * 300, "vuota": None}.items():
        sorgente = tmp_path / nome
        if contenuto_file is None:
            sorgente.mkdir()
        else:
            sorgente.write_bytes(contenuto_file)
        with pytest.raises(backup.CopiaNonValida, match=f"il database {sorgente} (non è un database|è una cartella)"):
            backup.salva(f"sqlite:///{sorgente}", tmp_path / "copie")
        assert not (tmp_path / "copie").exists()


def test_two_backups_in_the_same_second_are_both_kept(
    store: DbStore, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(backup, "_adesso", lambda: "20261208-020000")
    prima = backup.salva(db_url, tmp_path / "copie")
    byte_prima = prima.file.read_bytes()
    seconda = backup.salva(db_url, tmp_path / "copie")
    assert prima.file.name == f"cittadelnoi-20261208-020000{prima.file.suffix}"
    assert seconda.file.name == f"cittadelnoi-20261208-020000-2{prima.file.suffix}"
    assert prima.file.read_bytes() == byte_prima
    for esito in (prima, seconda):
        somma = esito.file.with_name(esito.file.name + ".sha256").read_text().split()
        assert somma == [backup.sha256(esito.file), esito.file.name]
    assert not list((tmp_path / "copie").glob("*.parziale"))


def test_a_folder_given_to_restore_is_named_as_such(db_url: str, tmp_path: Path):
    with pytest.raises(backup.CopiaNonValida, match=f"{tmp_path} è una cartella"):
        backup.ripristina(db_url, tmp_path)


def test_the_scripts_read_relative_paths_from_the_callers_folder(tmp_path: Path, data_copy: Path):
    import os
    import subprocess

    from cittadelnoi.core.paths import ROOT

    percorso = tmp_path / "registro.sqlite"
    url = f"sqlite:///{percorso}"
    app = DbStore(crea_engine(url), data_copy)
    app.get()
    app.engine.dispose()
    altrove = tmp_path / "altrove"
    altrove.mkdir()
    env = {**os.environ, "CITTADELNOI_DB_URL": url}

    def esegui(*argomenti: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", *argomenti], cwd=altrove, env=env, capture_output=True, text=True, timeout=120)

    salvata = esegui(str(ROOT / "scripts" / "backup.sh"), "copie")
    assert salvata.returncode == 0, salvata.stderr
    (copia,) = (altrove / "copie").glob("cittadelnoi-*.sqlite")
    fatto = esegui(str(ROOT / "scripts" / "ripristina.sh"), f"copie/{copia.name}")
    assert fatto.returncode == 0, fatto.stderr
    assert fatto.stdout.startswith(f"ripristinato {percorso} da {copia},")
