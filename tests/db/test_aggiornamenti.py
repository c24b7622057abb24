"""Issue 26, point 4, on SQLite and PostgreSQL: a database at each earlier migration, holding data,
upgrades to the current head keeping every row; a database newer than the code is refused with an
Italian message and nothing is written.

Generic over the migrations (stores.engine.versioni_codice) and the tables (reflected), so a
migration added later (0007, 0008…) is covered without touching this file. A database "made by"
revision R is the filled head database taken down to R by the migrations' own downgrades: the
upgrade must then keep every row the database held at R (same count and primary keys per table)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from cittadelnoi.auth.accesso import hash_password
from cittadelnoi.core.errors import ErroreArchivio
from cittadelnoi.core.ruoli import Ruolo
from cittadelnoi.stores import backup
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.engine import crea_engine, versioni_codice
from cittadelnoi.stores.schema import metadata
from tests.conftest import amministratore
from tests.db.test_copie import contenuto
from tests.db.test_registro_veritiero import _alembic
from tests.postgres import nuovo_database


def _righe(engine) -> dict[str, set[tuple]]:
    """Every table (reflected, alembic_version aside) -> its primary keys (all columns without one)."""
    meta = sa.MetaData()
    meta.reflect(engine)
    out: dict[str, set[tuple]] = {}
    with engine.connect() as conn:
        for t in meta.sorted_tables:
            if t.name == "alembic_version":
                continue
            colonne = list(t.primary_key.columns) or list(t.columns)
            righe = conn.execute(sa.select(*colonne)).all()
            out[t.name] = {tuple(str(v) for v in r) for r in righe}
            assert len(out[t.name]) == len(righe), t.name
    return out


def _riempi(store: DbStore) -> None:
    autore = amministratore("anna")
    rec, orario, v = store.punto("demo-chiesanuova")
    store.salva_punto("demo-chiesanuova", {**rec, "nota": "modificato"}, orario, v, autore)
    store.segna_completo(True, autore)
    store.registro_account().crea("carla", "Carla", Ruolo.AMMINISTRATORE, hash_password("segreta"), autore)
    store.registro_accessi().registra("carla", "entrato", dt.datetime.now(dt.UTC))


@pytest.mark.parametrize("revisione", versioni_codice()[:-1])
def test_upgrade_from_each_earlier_migration_keeps_every_row(revisione: str, store: DbStore, engine, data_copy: Path):
    _riempi(store)
    _alembic(engine, "downgrade", revisione)
    alla_revisione = _righe(engine)
    assert sum(map(len, alla_revisione.values())) > 100 and alla_revisione["punti"]
    # Below 0007 the downgrade dropped the monthly reports, and their file would fill the new empty
    # table again at start (one more revision): this test is about the rows the old database held.
    (data_copy / "rendiconti.csv").unlink(missing_ok=True)
    nuova = DbStore(crea_engine(engine.url.render_as_string(hide_password=False)), data_copy)
    snap, errori = nuova.get()  # the app's start: upgrade to head
    assert errori == [] and len(snap.punti) == len(alla_revisione["punti"])
    dopo = _righe(nuova.engine)
    for tabella, chiavi in alla_revisione.items():
        assert chiavi <= dopo[tabella], f"{tabella}: righe perse da {revisione} a {versioni_codice()[-1]}"
        assert len(dopo[tabella]) == len(chiavi), tabella  # nothing added to the data it held either
    nuova.engine.dispose()


def test_a_database_newer_than_the_code_is_refused_writing_nothing(store: DbStore, db_url: str, data_copy: Path):
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    prima = contenuto(db_url)
    store.engine.dispose()
    app = DbStore(crea_engine(db_url), data_copy)
    snap, errori = app.get()
    assert snap is None
    assert [e.messaggio for e in errori] == [
        f"il database ha la versione di schema 9999, più recente di questo programma (che conosce fino alla "
        f"{versioni_codice()[-1]}): aggiornare il programma; nel database non è stato scritto nulla"
    ]
    with pytest.raises(ErroreArchivio, match="più recente di questo programma"):
        app.registro_accessi()
    with pytest.raises(ErroreArchivio, match="più recente di questo programma"):
        app.segnalazioni()
    app.engine.dispose()
    assert contenuto(db_url) == prima


def test_a_failed_upgrade_of_a_writable_database_stops_the_app(store: DbStore, engine, db_url: str, data_copy: Path):
    """Only read-only and locked databases are served after a failed start; a migration that fails on a
    writable database (here: a table of the last migration already there) is an Italian refusal."""
    _riempi(store)
    alla_testa = set(sa.inspect(engine).get_table_names())
    _alembic(engine, "downgrade", versioni_codice()[-2])
    engine.dispose()
    (nuova_tabella,) = sorted(alla_testa - set(sa.inspect(engine).get_table_names()))[:1]
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {nuova_tabella} (x INTEGER)")
    prima = contenuto_senza(db_url, nuova_tabella)
    engine.dispose()
    app = DbStore(crea_engine(db_url), data_copy)
    snap, errori = app.get()
    assert snap is None and app.modificabile
    assert [
        e.messaggio.startswith("il database non è stato portato allo schema di questo programma") for e in errori
    ] == [True]
    assert "schema aggiornato a metà" in errori[0].messaggio
    app.engine.dispose()
    assert contenuto_senza(db_url, nuova_tabella) == prima


def contenuto_senza(url: str, tabella: str) -> dict[str, list[tuple]]:
    """Rows of every table present (reflected) but `tabella`, and the schema version."""
    eng = sa.create_engine(url)
    meta = sa.MetaData()
    meta.reflect(eng)
    with eng.connect() as conn:
        out = {t.name: sorted(map(tuple, conn.execute(sa.select(t))), key=repr) for t in meta.sorted_tables}
    eng.dispose()
    out.pop(tabella)
    return out


@pytest.mark.postgres
def test_postgres_restore_of_an_older_dump_then_the_app_starts_consistent(
    postgres_server, data_copy: Path, tmp_path: Path
):
    """A dump made at an older migration, restored into a database upgraded since: the tables of later
    migrations go (pg_restore --clean alone would leave them), and the app's start upgrades it again."""
    url = nuovo_database(postgres_server)
    store = DbStore(crea_engine(url), data_copy)
    store.get()
    _riempi(store)
    # The downgrade below 0007 drops the monthly reports, and the sample's reports file would fill the
    # empty table again at each start (one more revision): this test is about the rows of the dump.
    (data_copy / "rendiconti.csv").unlink(missing_ok=True)
    vecchia = versioni_codice()[-2]
    _alembic(store.engine, "downgrade", vecchia)
    alla_copia = _righe(store.engine)
    esito = backup.salva(url, tmp_path / "copie")
    store.engine.dispose()
    app = DbStore(crea_engine(url), data_copy)
    assert app.get()[1] == []  # upgraded to head
    app.engine.dispose()

    backup.ripristina(url, esito.file)
    eng = sa.create_engine(url)
    assert set(sa.inspect(eng).get_table_names()) == {*alla_copia, "alembic_version"}
    assert _righe(eng) == alla_copia
    with eng.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == vecchia
    eng.dispose()

    app = DbStore(crea_engine(url), data_copy)
    snap, errori = app.get()
    assert errori == [] and app.modificabile and snap is not None
    dopo = _righe(app.engine)
    assert set(dopo) == {t.name for t in metadata.sorted_tables}
    for tabella, chiavi in alla_copia.items():
        assert dopo[tabella] == chiavi, tabella
    with app.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == versioni_codice()[-1]
    app.engine.dispose()
