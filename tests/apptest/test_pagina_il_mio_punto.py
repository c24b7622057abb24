"""«Il mio punto» in AppTest: a referente (an account stored in the database) logs in, sees only
its own point, confirms it with one tap (conferma = today, the account in the history), edits
its desk slots; the store refuses what the page does not offer."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from cittadelnoi.auth.accesso import hash_password
from cittadelnoi.core import paths, tempo
from cittadelnoi.core.ruoli import SISTEMA, NonAutorizzato, Ruolo
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.engine import crea_engine
from tests.apptest.app import apri

PAGINA = "pages/il_mio_punto.py"
PASSWORD = "una password lunga"


@pytest.fixture
def store() -> DbStore:
    engine = crea_engine(os.environ["CITTADELNOI_DB_URL"])
    s = DbStore(engine, paths.data_dir())
    assert s.get()[0] is not None
    s.registro_account().crea(
        "rbianchi", "Rita Bianchi", Ruolo.REFERENTE, hash_password(PASSWORD, costo=4), SISTEMA, punti=["demo-fornaci"]
    )
    yield s
    engine.dispose()


def _entra(at: AppTest) -> AppTest:
    campi = {t.label: t for t in at.text_input}
    campi["Utente"].input("RBianchi")
    campi["Password"].input(PASSWORD)
    next(b for b in at.button if b.label == "Entra").click()
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_referente_confirms_its_point_with_one_tap(store: DbStore):
    at = _entra(apri(PAGINA))
    # its one point, no choice; then the month's report
    assert [s.value for s in at.subheader] == [store.punto("demo-fornaci")[0]["nome"], "Rendiconto del mese"]
    assert not [s for s in at.selectbox if s.label == "Punto"]
    next(b for b in at.button if b.label.startswith("Confermo: il punto è attivo")).click()
    at.run()
    assert not at.exception, at.exception
    rec, _, _ = store.punto("demo-fornaci")
    assert rec["conferma"] == tempo.oggi().isoformat() and rec["stato"] == "attivo"
    ultima = store.modifiche("demo-fornaci").iloc[0]
    assert (ultima["utente"], ultima["ruolo"]) == ("rbianchi", "referente")
    assert any("Salvato" in s.value for s in at.success)


def test_a_disabled_referente_is_logged_out_and_the_store_refuses_other_points(store: DbStore):
    at = _entra(apri(PAGINA))
    autore = store.registro_account().cerca("rbianchi").autore()
    rec, orario, v = store.punto("demo-chiesanuova")
    with pytest.raises(NonAutorizzato):
        store.salva_punto("demo-chiesanuova", {**rec, "stato": "attivo"}, orario, v, autore)
    store.registro_account().crea("altro", "Altro", Ruolo.AMMINISTRATORE, hash_password(PASSWORD, costo=4), SISTEMA)
    store.registro_account().imposta_attivo("rbianchi", False, SISTEMA)
    at.run()
    assert not at.subheader, "the point is no longer shown"
    assert [t.label for t in at.text_input] == ["Utente", "Password"], "back to the login form"


def test_a_referente_sends_the_previous_month_report_counts_only(store: DbStore):
    """One screen per month from a phone: the previous month pre-selected, four counts, «Invia»;
    the public source names the role, never the person."""
    from cittadelnoi.metrics.rendiconti import mese_precedente

    at = _entra(apri(PAGINA))
    mese = next(s for s in at.selectbox if s.label == "Mese")
    assert mese.value == mese_precedente(tempo.oggi())
    campi = {n.label: n for n in at.number_input}
    campi["Ore di sportello effettuate"].set_value(27.5)
    campi["Volontari attivi"].set_value(4)
    campi["Ore di volontariato (di tutti i volontari)"].set_value(60.0)
    campi["Accessi allo sportello (persone)"].set_value(31)
    next(b for b in at.button if b.label == "Invia").click()
    at.run()
    assert not at.exception, at.exception
    assert any("inviato" in s.value for s in at.success), [s.value for s in at.success]
    r = store.rendiconti_di("demo-fornaci").set_index("mese").loc[mese_precedente(tempo.oggi())]
    assert (r["ore_sportello"], r["volontari"], r["ore_volontariato"], r["accessi"], r["stato"]) == (
        27.5,
        4,
        60.0,
        31,
        "inviato",
    )
    assert "Rita" not in r["fonte"] and "rbianchi" not in r["fonte"] and "referente del punto" in r["fonte"]
    # An impossible figure is refused with the file's message, and nothing changes.
    campi = {n.label: n for n in at.number_input}
    campi["Ore di sportello effettuate"].set_value(900.0)
    next(b for b in at.button if b.label == "Invia").click()
    at.run()
    assert any("cifra impossibile" in m.value for m in at.markdown), [m.value for m in at.markdown]
    assert (
        store.rendiconti_di("demo-fornaci").set_index("mese").loc[mese_precedente(tempo.oggi()), "ore_sportello"]
        == 27.5
    )


def test_the_store_refuses_a_referente_s_report_for_another_point(store: DbStore):
    from cittadelnoi.core.ruoli import Autore

    ref = Autore("rbianchi", "Rita Bianchi", Ruolo.REFERENTE, frozenset({"demo-fornaci"}))
    with pytest.raises(NonAutorizzato):
        store.salva_rendiconto(
            {"id_punto": "don-bosco", "mese": "2026-01", "ore_sportello": 10, "fonte": "referente del punto"}, ref
        )
    assert store.rendiconti_di("don-bosco").set_index("mese").loc["2026-01", "fonte"].startswith("esempio")
