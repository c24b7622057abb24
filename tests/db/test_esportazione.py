"""Issue 26, point 5, on SQLite and PostgreSQL: «Scarica tutto» gives an amministratore every table
of the schema as CSV (generic: stores.schema.metadata), the GeoJSON and a LEGGIMI.md; never an
e-mail, a password hash or a token (a rule on the column's name); no live formula; a referente
is refused by the store, and so is an account disabled or demoted, or a session ended, since the
page was drawn; the tables are streamed (memory bounded); the access log is pruned after
core.ruoli.CONSERVAZIONE_ACCESSI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
import sqlalchemy as sa

from cittadelnoi.auth import sessioni
from cittadelnoi.auth.accesso import hash_password
from cittadelnoi.core.ruoli import CONSERVAZIONE_ACCESSI, Autore, NonAutorizzato, Ruolo
from cittadelnoi.core.segnalazioni import Oggetto, Segnalazione
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.esportazione import riservata
from cittadelnoi.stores.schema import accessi, account, metadata
from cittadelnoi.views.dati_aperti import punti_geojson
from cittadelnoi.views.esporta_tutto import zip_tutto
from tests.conftest import amministratore

EMAIL = "carla.privata@example.org"


def _sessione(store: DbStore, utente: str) -> str:
    """The id of a live session of `utente`."""
    adesso = dt.datetime.now(dt.UTC)
    return (
        store.registro_accessi()
        .apri(
            sessioni.nuovo_id(), utente, utente, sessioni.nuovo_segreto(), adesso, sessioni.DURATA, sessioni.BIGLIETTO
        )
        .id
    )


def _zip(store: DbStore, autore: Autore, id_sessione: str | None = None) -> zipfile.ZipFile:
    snap, _ = store.get()
    with store.esporta_tutto(autore, id_sessione or _sessione(store, autore.utente)) as esp:
        dati = zip_tutto(esp.intestazioni, esp.colonne, esp.schema, esp.righe, punti_geojson(snap.punti))
    return zipfile.ZipFile(io.BytesIO(dati))


def test_everything_but_reserved_columns_as_csv(store: DbStore):
    autore = amministratore("anna")
    store.registro_account().crea(
        "carla", "Carla", Ruolo.AMMINISTRATORE, hash_password("segreta"), autore, email="carla@example.org"
    )
    store.segnalazioni().invia(
        Segnalazione(Oggetto("punto", "lamarmora", "Punto Lamarmora"), "orari", '=HYPERLINK("x")', EMAIL),
        "impronta-del-mittente",
        dt.datetime.now(dt.UTC),
    )
    rec, orario, v = store.punto("demo-chiesanuova")
    store.salva_punto("demo-chiesanuova", {**rec, "nota": "=1+1"}, orario, v, autore)
    z = _zip(store, autore)
    assert set(z.namelist()) == {f"{t.name}.csv" for t in metadata.sorted_tables} | {"punti.geojson", "LEGGIMI.md"}
    tutto = b"".join(z.read(n) for n in z.namelist()).decode("utf-8-sig")
    for segreto in (EMAIL, "carla@example.org", "$2b$", "impronta-del-mittente"):
        assert segreto not in tutto
    with store.engine.connect() as conn:
        for t in metadata.sorted_tables:
            righe = list(csv.DictReader(io.StringIO(z.read(f"{t.name}.csv").decode("utf-8-sig"))))
            assert len(righe) == conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one(), t.name
            intestazione = next(csv.reader(io.StringIO(z.read(f"{t.name}.csv").decode("utf-8-sig"))))
            assert [c for c in intestazione if c != "avviso"] == [c.name for c in t.columns if not riservata(c.name)]
    punti = {r["id"]: r for r in csv.DictReader(io.StringIO(z.read("punti.csv").decode("utf-8-sig")))}
    assert punti["demo-chiesanuova"]["nota"] == "'=1+1"  # no live formula
    segn = list(csv.DictReader(io.StringIO(z.read("segnalazioni.csv").decode("utf-8-sig"))))
    assert segn[0]["testo"] == '\'=HYPERLINK("x")'
    assert len(json.loads(z.read("punti.geojson"))["features"]) == len(punti)
    leggimi = z.read("LEGGIMI.md").decode("utf-8")
    assert "omesse: email, hash_password" in leggimi and "## storico.csv" in leggimi


def test_a_referente_gets_nothing(store: DbStore):
    referente = Autore("rita", "Rita", Ruolo.REFERENTE, frozenset({"lamarmora"}))
    with pytest.raises(NonAutorizzato, match="solo un amministratore"):
        _zip(store, referente)


def test_an_account_disabled_or_demoted_or_a_session_ended_since_the_page_gets_nothing(store: DbStore):
    anna = amministratore("anna")
    conti = store.registro_account()
    conti.crea("carla", "Carla", Ruolo.AMMINISTRATORE, hash_password("segreta"), anna)
    carla = conti.cerca("carla").autore()  # what the page drew: an amministratore
    assert carla.amministratore and _zip(store, carla).namelist()
    id_ = _sessione(store, "carla")
    with pytest.raises(NonAutorizzato, match="la sessione non è dell'account «dario»"):
        _zip(store, amministratore("dario"), id_)
    with store.engine.begin() as conn:  # demoted since the page was drawn
        conn.execute(sa.update(account).where(account.c.utente == "carla").values(ruolo=Ruolo.REFERENTE.value))
    with pytest.raises(NonAutorizzato, match="solo un amministratore"):
        _zip(store, carla, id_)
    with store.engine.begin() as conn:
        conn.execute(sa.update(account).where(account.c.utente == "carla").values(ruolo=Ruolo.AMMINISTRATORE.value))
    assert _zip(store, carla, id_).namelist()
    conti.imposta_attivo("carla", False, anna)
    with pytest.raises(NonAutorizzato, match="disattivato"):
        _zip(store, carla, id_)
    conti.imposta_attivo("carla", True, anna)
    store.registro_accessi().revoca(id_, dt.datetime.now(dt.UTC))  # «Esci» in another tab
    with pytest.raises(NonAutorizzato, match="sessione è terminata"):
        _zip(store, carla, id_)


def test_the_tables_are_streamed_not_held_whole(store: DbStore, monkeypatch: pytest.MonkeyPatch):
    """40.000 access-log rows (about 5 MB as text) exported with a peak of Python memory far below
    them: read PASSO rows at a time and written straight into the ZIP entry. The rows across the
    chunks' borders are all there, in order."""
    import tracemalloc

    from cittadelnoi.stores import esportazione

    monkeypatch.setattr(esportazione, "PASSO", 500)
    quando = dt.datetime.now(dt.UTC)
    righe = [{"quando": quando, "utente": f"u{i:06d}-" + "x" * 90, "esito": "entrato"} for i in range(40_000)]
    with store.engine.begin() as conn:
        conn.execute(sa.insert(accessi), righe)
    del righe
    tracemalloc.start()
    try:
        z = _zip(store, amministratore("anna"))
        _, picco = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    letti = list(csv.DictReader(io.StringIO(z.read("accessi.csv").decode("utf-8-sig"))))
    assert [r["utente"][:7] for r in letti if r["utente"].startswith("u")] == [f"u{i:06d}" for i in range(40_000)]
    assert picco < 3_000_000, f"picco di memoria {picco} byte"


def test_the_access_log_is_kept_twelve_months(store: DbStore):
    registro = store.registro_accessi()
    adesso = dt.datetime.now(dt.UTC)
    registro.registra("vecchio", "entrato", adesso - CONSERVAZIONE_ACCESSI - dt.timedelta(days=1))
    registro.registra("recente", "entrato", adesso - CONSERVAZIONE_ACCESSI + dt.timedelta(days=1))
    assert {"vecchio", "recente"} <= set(registro.elenco()["utente"])
    registro.registra("anna", "entrato", adesso)  # a login: what is older than the retention goes
    assert set(registro.elenco()["utente"]) >= {"recente", "anna"}
    assert "vecchio" not in set(registro.elenco()["utente"])
    assert dt.timedelta(days=365) == CONSERVAZIONE_ACCESSI  # «12 mesi» on /privacy and in the README


@pytest.mark.parametrize(
    "colonna", ["email", "Email", "e_mail", "email_contatto", "hash_password", "token", "biglietto"]
)
def test_reserved_columns_by_name(colonna: str):
    assert riservata(colonna)


@pytest.mark.parametrize("colonna", ["nome", "utente", "ruolo", "testo", "stato", "fonte"])
def test_ordinary_columns_are_exported(colonna: str):
    assert not riservata(colonna)
