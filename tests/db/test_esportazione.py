"""Issue 26, point 5, on SQLite and PostgreSQL: «Scarica tutto» gives an amministratore every table
of the schema as CSV (generic: stores.schema.metadata), the GeoJSON and a LEGGIMI.md; never an
e-mail, a password hash or a token (a rule on the column's name); no live formula; a referente
is refused by the store."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
import sqlalchemy as sa

from cittadelnoi.auth.accesso import hash_password
from cittadelnoi.core.ruoli import Autore, NonAutorizzato, Ruolo
from cittadelnoi.core.segnalazioni import Oggetto, Segnalazione
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.esportazione import riservata
from cittadelnoi.stores.schema import metadata
from cittadelnoi.views.dati_aperti import punti_geojson
from cittadelnoi.views.esporta_tutto import zip_tutto
from tests.conftest import amministratore

EMAIL = "carla.privata@example.org"


def _zip(store: DbStore, autore: Autore) -> zipfile.ZipFile:
    esp = store.esporta_tutto(autore)
    snap, _ = store.get()
    return zipfile.ZipFile(io.BytesIO(zip_tutto(esp.tabelle, esp.colonne, esp.schema, punti_geojson(snap.punti))))


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
        store.esporta_tutto(referente)


@pytest.mark.parametrize(
    "colonna", ["email", "Email", "e_mail", "email_contatto", "hash_password", "token", "biglietto"]
)
def test_reserved_columns_by_name(colonna: str):
    assert riservata(colonna)


@pytest.mark.parametrize("colonna", ["nome", "utente", "ruolo", "testo", "stato", "fonte"])
def test_ordinary_columns_are_exported(colonna: str):
    assert not riservata(colonna)
