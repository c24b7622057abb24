"""Issue 22, points 3 and 4, on SQLite and PostgreSQL: a referente's change is cited in public as
«aggiornato dal referente il …» (from the history only: an amministratore's change, or a file
imported with a forged column, never sets it), and its confirmation makes the point fresh again."""

from __future__ import annotations

import datetime as dt

import pytest

from cittadelnoi.auth.accesso import hash_password
from cittadelnoi.core import tempo
from cittadelnoi.core.ruoli import SISTEMA, Autore, Ruolo
from cittadelnoi.metrics.panoramica import orari_testo
from cittadelnoi.metrics.registro import colonna_da_riconfermare
from cittadelnoi.stores.db import DbStore
from cittadelnoi.views import dati_aperti
from cittadelnoi.views.mapview import CAMPI_PUNTO, dati_punti
from tests.conftest import amministratore

HASH = hash_password("una password lunga", costo=4)
FONTE, CONFERMA = CAMPI_PUNTO.index("fonte"), CAMPI_PUNTO.index("conferma")


@pytest.fixture
def referente(store: DbStore) -> Autore:
    account = store.registro_account().crea(
        "rbianchi", "Rita Bianchi", Ruolo.REFERENTE, HASH, SISTEMA, punti=["demo-porta-milano"]
    )
    return account.autore()


def _riga(store: DbStore, id_punto: str) -> dict:
    snap, errori = store.get()
    assert errori == [] and snap is not None
    return snap.punti.set_index("id").loc[id_punto].to_dict()


def _popup(store: DbStore, id_punto: str, oggi: dt.date) -> list:
    snap, _ = store.get()
    righe = dati_punti(snap.punti, orari_testo(snap.sportelli), frozenset(snap.quartieri["codice_istat"]), oggi=oggi)
    return next(r for r in righe if r[CAMPI_PUNTO.index("id")] == id_punto)


def test_a_referente_confirmation_is_cited_and_makes_the_point_fresh(store: DbStore, referente: Autore):
    oggi = tempo.oggi()
    # Before: no referente's change anywhere; the sample's Porta Milano was last confirmed in July 2024.
    snap, _ = store.get()
    assert snap.punti["aggiornato_referente"].isna().all()
    assert _riga(store, "demo-porta-milano")["conferma"] == "2024-07"
    assert _popup(store, "demo-porta-milano", oggi)[CONFERMA] == "luglio 2024 — da riconfermare"
    # An amministratore's save does not say «aggiornato dal referente».
    rec, orario, v = store.punto("demo-porta-milano")
    store.salva_punto("demo-porta-milano", {**rec, "nota": "sentito al telefono"}, orario, v, amministratore())
    assert _riga(store, "demo-porta-milano")["aggiornato_referente"] is None
    assert "referente" not in _popup(store, "demo-porta-milano", oggi)[FONTE]
    # The referente confirms with one tap (conferma = today): cited at once, fresh again.
    rec, orario, v = store.punto("demo-porta-milano")
    store.salva_punto("demo-porta-milano", {**rec, "conferma": oggi.isoformat()}, orario, v, referente)
    registrata = store.modifiche("demo-porta-milano").iloc[0]["registrata"]
    giorno = tempo.giorno_locale(registrata)
    riga = _riga(store, "demo-porta-milano")
    assert riga["aggiornato_referente"] == giorno
    popup = _popup(store, "demo-porta-milano", oggi)
    assert popup[FONTE] == f"{rec['fonte']}; aggiornato dal referente il {giorno:%d/%m/%Y}"
    assert popup[CONFERMA] == f"{oggi:%d/%m/%Y}"
    snap, _ = store.get()
    assert not colonna_da_riconfermare(snap.punti.set_index("id").loc[["demo-porta-milano"]], oggi).any()
    # The other points: not cited.
    assert snap.punti.loc[snap.punti["id"] != "demo-porta-milano", "aggiornato_referente"].isna().all()
    # A later amministratore's change keeps the date of the referente's.
    rec, orario, v = store.punto("demo-porta-milano")
    store.salva_punto("demo-porta-milano", {**rec, "nota": "ok"}, orario, v, amministratore())
    assert _riga(store, "demo-porta-milano")["aggiornato_referente"] == giorno
    # On a day before the change the register did not say so.
    ieri = store.snapshot_al(giorno - dt.timedelta(days=1))
    assert ieri is None or ieri.punti["aggiornato_referente"].isna().all()
    assert store.snapshot_al(giorno).punti.set_index("id").at["demo-porta-milano", "aggiornato_referente"] == giorno


def test_an_imported_file_cannot_forge_a_referente_change(store: DbStore, referente: Autore):
    snap, _ = store.get()
    # The open-data file, whose derived column says a referente changed two points: imported back.
    testo = dati_aperti.punti_csv(snap.punti).decode("utf-8-sig")
    righe = testo.splitlines()
    assert righe[0].endswith(",da_riconfermare,aggiornato_referente")
    falsi = [
        r[: r.rfind(",")] + ",2026-01-01" if r.startswith(("demo-folzano,", "demo-porta-milano,")) else r for r in righe
    ]
    falsi = [
        r.replace("Via dell'Esempio", "Via dell'Esempio nuova") if r.startswith("demo-folzano,") else r for r in falsi
    ]
    anteprima = store.anteprima_import("punti.csv", "\n".join(falsi).encode("utf-8"))
    assert anteprima.valida, anteprima.problemi
    assert {"aggiornato_referente", "da_riconfermare"} <= {p.colonna for p in anteprima.avvisi}
    assert "demo-folzano" in anteprima.modificati
    store.applica_import(anteprima, amministratore())
    snap, _ = store.get()
    assert snap.punti["aggiornato_referente"].isna().all()
    assert "Via dell'Esempio nuova" in snap.punti.set_index("id").at["demo-folzano", "indirizzo"]
