"""Gestione lists the points to reconfirm with their referenti (issue 22, point 4), from the
accounts stored in the database; a point with none says «nessun referente»."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from cittadelnoi.auth.accesso import hash_password
from cittadelnoi.core import paths, tempo
from cittadelnoi.core.ruoli import SISTEMA, Ruolo
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.engine import crea_engine
from tests.apptest.app import apri


@pytest.fixture(autouse=True)
def oggi_fisso(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempo, "oggi", lambda: dt.date(2026, 12, 7))


@pytest.fixture
def store() -> DbStore:
    engine = crea_engine(os.environ["CITTADELNOI_DB_URL"])
    s = DbStore(engine, paths.data_dir())
    assert s.get()[0] is not None
    hash_ = hash_password("una password lunga", costo=4)
    s.registro_account().crea(
        "rbianchi", "Rita Bianchi", Ruolo.REFERENTE, hash_, SISTEMA, punti=["demo-porta-milano", "mompiano"]
    )
    s.registro_account().crea("gverdi", "Gino Verdi", Ruolo.REFERENTE, hash_, SISTEMA, punti=["demo-porta-milano"])
    s.registro_account().crea("spento", "Spento", Ruolo.REFERENTE, hash_, SISTEMA, punti=["lamarmora"])
    # Accounts in the database replace the demo account: an amministratore to log in with.
    s.registro_account().crea("anna", "Anna", Ruolo.AMMINISTRATORE, hash_, SISTEMA)
    s.registro_account().imposta_attivo("spento", False, SISTEMA)
    yield s
    engine.dispose()


def test_points_to_reconfirm_are_listed_with_their_referenti(store: DbStore):
    at = apri("pages/gestione.py")
    campi = {t.label: t for t in at.text_input}
    campi["Utente"].input("anna")
    campi["Password"].input("una password lunga")
    next(b for b in at.button if b.label == "Entra").click()
    at.run()
    assert not at.exception, at.exception
    (tabella,) = [d.value for d in at.dataframe if "Referenti" in d.value.columns]
    referenti = dict(zip(tabella["Punto"], tabella["Referenti"], strict=True))
    nomi = store.get()[0].punti.set_index("id")["nome"]
    assert len(referenti) == 7  # the sample's points last confirmed in 2024
    assert referenti[nomi["demo-porta-milano"]] == "Gino Verdi, Rita Bianchi"
    assert referenti[nomi["lamarmora"]] == "nessun referente", "a disabled account is no referente"
    assert referenti[nomi["don-bosco"]] == "nessun referente"
    assert nomi["mompiano"] not in referenti, "confirmed in February 2026: not to reconfirm"
