"""«Il mio punto» on the real app: a referente on a 390x844 phone logs in and confirms its point
with one tap, nothing scrolls sideways; a referente who forges its session's messages to change
a point that is not its own leaves the register unchanged (bench/protocollo.Sessione, the app's
own websocket protocol)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import shutil
from pathlib import Path

import pytest

from bench.protocollo import Sessione
from cittadelnoi.auth.accesso import hash_password
from cittadelnoi.core import tempo
from cittadelnoi.core.ruoli import SISTEMA, Ruolo
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.engine import crea_engine
from tests.conftest import DATA

pytestmark = pytest.mark.browser

PASSWORD = "una password lunga"


@pytest.fixture(scope="module")
def registro(tmp_path_factory) -> tuple[str, Path]:
    """(database URL, data folder) of a register with two referenti: rbianchi runs demo-fornaci
    and demo-villaggio-badia, the other demo-chiesanuova."""
    cartella = tmp_path_factory.mktemp("mio-punto")
    dati = cartella / "dati"
    shutil.copytree(DATA, dati)
    url = f"sqlite:///{cartella / 'registro.sqlite'}"
    engine = crea_engine(url)
    try:
        store = DbStore(engine, dati)
        assert store.get()[0] is not None
        ids = list(store.get()[0].punti["id"])
        account = store.registro_account()
        h = hash_password(PASSWORD, costo=4)
        account.crea("rbianchi", "Rita Bianchi", Ruolo.REFERENTE, h, SISTEMA, punti=ids[:2])
        account.crea("altro", "Altro Referente", Ruolo.REFERENTE, h, SISTEMA, punti=[ids[2]])
    finally:
        engine.dispose()
    return url, dati


@pytest.fixture(scope="module")
def server(start_app, registro) -> str:
    url, dati = registro
    return start_app(data_dir=dati, env={"CITTADELNOI_DB_URL": url})


def _store(registro) -> DbStore:
    url, dati = registro
    return DbStore(crea_engine(url), dati)


def test_a_referente_confirms_its_point_on_a_phone(server, registro, browser, wait_for_app_run, screenshot):
    store = _store(registro)
    mio = sorted(store.registro_account().cerca("rbianchi").punti)[0]
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{server}/il_mio_punto")
        wait_for_app_run(page)
        page.get_by_label("Utente").fill("rbianchi")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Entra").click()
        bottone = page.get_by_role("button", name="Confermo: il punto è attivo e questi dati sono giusti")
        bottone.wait_for(timeout=60_000)
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 1
        scelta = page.get_by_role("combobox", name="Punto")
        scelta.wait_for()
        screenshot(page, "il-mio-punto-telefono")
        nome = store.punto(mio)[0]["nome"]
        scelta.click()
        page.get_by_role("option", name=nome).click()
        wait_for_app_run(page)
        bottone.tap()
        page.get_by_text("Salvato").wait_for(timeout=60_000)
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 1
        screenshot(page, "il-mio-punto-confermato")
        assert store.punto(mio)[0]["conferma"] == tempo.oggi().isoformat()
        assert store.modifiche(mio).iloc[0]["utente"] == "rbianchi"
    finally:
        context.close()
        store.engine.dispose()


def test_a_forged_session_cannot_change_another_referentes_point(server, registro):
    store = _store(registro)
    altro = next(iter(store.registro_account().cerca("altro").punti))
    prima = (store.punto(altro), store.versione_dati())

    async def attacco() -> list[str]:
        async with Sessione(server) as s:
            await s.esegui()
            await s.esegui("il mio punto" if "il mio punto" in s.pagine else _pagina(s.pagine))
            s.scrivi("Utente", "rbianchi")
            s.scrivi("Password", PASSWORD)
            s.premi("Entra")
            await s.esegui()
            await s.esegui()  # the run after the login's st.rerun
            # The page offers only rbianchi's two points; a modified client sends another one.
            s.forza("mio_punto_scelta", altro)
            s.premi("Confermo: il punto è attivo e questi dati sono giusti")
            esito = await s.esegui()
            return esito.eccezioni

    # In a thread of its own: Playwright's sync API keeps an event loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        eccezioni = pool.submit(asyncio.run, attacco()).result(timeout=300)
    assert not eccezioni
    assert (store.punto(altro), store.versione_dati())[0] == prima[0], "the other point is unchanged"
    assert store.modifiche(altro)["utente"].isna().all() or "rbianchi" not in set(store.modifiche(altro)["utente"])
    store.engine.dispose()


def _pagina(pagine: dict[str, str]) -> str:
    return next(n for n in pagine if "mio" in n.lower())


def test_a_referente_sends_the_month_report_on_a_phone(server, registro, browser, wait_for_app_run, screenshot):
    """One screen per month on a 390 px phone: the previous month is pre-selected, four counts,
    «Invia»; the report is stored as sent for the referente's point, nothing scrolls sideways."""
    from cittadelnoi.metrics.rendiconti import mese_precedente

    store = _store(registro)
    mio = sorted(store.registro_account().cerca("rbianchi").punti)[0]
    mese = mese_precedente(tempo.oggi())
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{server}/il_mio_punto")
        wait_for_app_run(page)
        page.get_by_label("Utente").fill("rbianchi")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Entra").click()
        page.get_by_role("button", name="Confermo: il punto è attivo e questi dati sono giusti").wait_for(
            timeout=60_000
        )
        wait_for_app_run(page)  # the login's runs have finished: the choice below is not lost in a rerun
        scelta = page.get_by_role("combobox", name="Punto")
        scelta.click()
        nome = store.punto(mio)[0]["nome"]
        page.get_by_role("option", name=nome).click()
        # The chosen point's name heads the page (it may have been the one shown already: no new run).
        page.get_by_role("heading", name=nome).wait_for(timeout=60_000)
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", state="attached")
        page.wait_for_selector("[data-testid='stStatusWidget']", state="detached")
        # The month is not touched: the previous one (e.g. «novembre 2026») is pre-selected, and the
        # report below is stored for it.
        assert page.get_by_role("combobox", name="Mese").input_value() == _nome_mese(mese)
        for etichetta, valore in (
            ("Ore di sportello effettuate", "27,5"),
            ("Accessi allo sportello (persone)", "31"),
            ("Volontari attivi", "4"),
            ("Ore di volontariato (di tutti i volontari)", "60"),
        ):
            campo = page.get_by_label(etichetta)
            campo.fill(valore.replace(",", "."))
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 1
        screenshot(page, "il-mio-punto-rendiconto")
        page.get_by_role("button", name="Invia").tap()
        page.get_by_text(f"Rendiconto di {_nome_mese(mese)} inviato").wait_for(timeout=60_000)
        r = store.rendiconti_di(mio).set_index("mese").loc[mese]
        assert (r["ore_sportello"], r["volontari"], r["ore_volontariato"], r["accessi"], r["stato"]) == (
            27.5,
            4,
            60.0,
            31,
            "inviato",
        )
        assert "Rita" not in r["fonte"] and "rbianchi" not in r["fonte"]
    finally:
        context.close()
        store.engine.dispose()


def _nome_mese(mese: str) -> str:
    import datetime as dt

    from cittadelnoi.core import fmt

    anno, m = (int(x) for x in mese.split("-"))
    return fmt.data(dt.date(anno, m, 1), formato="MMMM y", locale="it_IT")
