"""The citizen pages (/quartieri, /quartieri/<codice>, /punti/<id>) in headless Chromium against the
real app: axe-core clean in both languages on a 390 px phone, nothing from another host, facts
compared with the register (the sample data the server reads), "open now" computed in the browser
in Brescia's time, and the no-script fallback (the weekly schedule)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bench.common import registra_esterni
from cittadelnoi.core import tempo
from cittadelnoi.metrics.aperture import prossima_apertura
from cittadelnoi.metrics.registro import testo_conferma as conferma_attesa
from cittadelnoi.metrics.stato import etichetta
from cittadelnoi.stores.file import carica
from cittadelnoi.views.mapview_stile import SIMBOLI
from tests.browser.test_accessibilita import AXE, axe_violations
from tests.conftest import DATA

pytestmark = pytest.mark.browser

TELEFONO = {"width": 390, "height": 844}
LAMARMORA = "17029010"


@pytest.fixture(scope="module")
def registro():
    return carica(DATA)


@pytest.mark.parametrize("lang", ["it", "en"])
def test_pages_are_axe_clean_on_a_phone_and_fit_its_width(app_server, browser, lang, screenshot):
    assert AXE.exists()
    esterni: list[str] = []
    # The pages' CSP allows no inline script: only this test's context may inject axe-core.
    ctx = browser.new_context(viewport=TELEFONO, bypass_csp=True)
    registra_esterni(ctx, esterni)
    page = ctx.new_page()
    problemi = {}
    for percorso in ("/quartieri", f"/quartieri/{LAMARMORA}", "/punti/lamarmora"):
        risposta = page.goto(f"{app_server}{percorso}?lang={lang}", wait_until="load")
        assert risposta is not None and risposta.status == 200
        assert page.evaluate("document.documentElement.lang") == lang
        # Readable on 390 px: nothing wider than the screen (no sideways scrolling).
        assert page.evaluate("document.documentElement.scrollWidth") <= TELEFONO["width"], percorso
        trovati = axe_violations(page)
        if trovati:
            problemi[percorso] = trovati
    screenshot(page, f"cittadino-punto-{lang}")
    ctx.close()
    assert problemi == {}
    assert esterni == []


def test_quartiere_page_facts_match_the_register(app_server, page, registro):
    page.goto(f"{app_server}/quartieri/{LAMARMORA}", wait_until="load")
    q = registro.stati.set_index("codice_istat").loc[LAMARMORA]
    atteso = (SIMBOLI[q["stato"]] + " " if q["stato"] in SIMBOLI else "") + etichetta(q["stato"])
    assert page.locator("p .stato").inner_text() == atteso
    oggi = tempo.oggi()
    for p in registro.punti[registro.punti["codice_istat"] == LAMARMORA].to_dict("records"):
        sezione = page.locator(f'section[data-punto="{p["id"]}"]')
        assert sezione.locator("dd.conferma").inner_text() == conferma_attesa(p["conferma"], oggi)
        assert sezione.locator("dd.indirizzo").inner_text() == p["indirizzo"]
        slot = registro.sportelli[registro.sportelli["id_punto"] == p["id"]]
        orari = sezione.locator("ul.orari li").all_inner_texts()
        assert sorted(re.sub(r"^\S+ ", "", o) for o in orari) == sorted(
            f"{a}–{b}" for a, b in zip(slot["inizio"], slot["fine"], strict=True)
        )


def _attese(registro, pid: str, adesso: dt.datetime) -> str:
    """What the script must say at `adesso`, from the register's slots (Italian)."""
    inizio, fine = prossima_apertura(registro.sportelli[registro.sportelli["id_punto"] == pid], adesso)[pid]
    if inizio <= adesso < fine:
        return f"aperto, fino alle {fine:%H:%M}"
    giorni = (inizio.date() - adesso.date()).days
    quando = {0: "oggi", 1: "domani"}.get(giorni) or tempo.giorni("wide")[inizio.weekday()]
    return f"chiuso: apre {quando} alle {inizio:%H:%M}"


def test_open_now_is_worked_out_in_the_browser_in_rome_time(app_server, browser, registro, page_errors):
    esterni: list[str] = []
    # The phone is in another time zone: the page must still answer in Brescia's time.
    ctx = browser.new_context(timezone_id="America/New_York", locale="it-IT", viewport=TELEFONO)
    registra_esterni(ctx, esterni)
    try:
        page = ctx.new_page()
        prima = _attese(registro, "lamarmora", tempo.adesso())
        page.goto(f"{app_server}/punti/lamarmora", wait_until="load")
        adesso = page.locator(".adesso")
        adesso.wait_for(state="visible")
        dopo = _attese(registro, "lamarmora", tempo.adesso())
        assert adesso.inner_text() in {prima, dopo}  # the minute may turn between the two readings
        assert esterni == [] and page_errors == []
    finally:
        ctx.close()


def test_without_javascript_the_weekly_schedule_is_there(app_server, browser, registro):
    ctx = browser.new_context(java_script_enabled=False, viewport=TELEFONO)
    try:
        page = ctx.new_page()
        page.goto(f"{app_server}/punti/lamarmora", wait_until="load")
        assert page.locator(".adesso").is_hidden()
        slot = registro.sportelli[registro.sportelli["id_punto"] == "lamarmora"]
        assert page.locator("ul.orari li").count() == len(slot) > 0
        assert page.locator("svg[role=img] path").count() >= 2  # the map needs no script either
        assert page.get_by_role("link", name="Segnala un errore").first.is_visible()
    finally:
        ctx.close()


def test_printed_page_hides_the_links_and_keeps_the_facts(app_server, page):
    page.goto(f"{app_server}/quartieri/{LAMARMORA}", wait_until="load")
    page.emulate_media(media="print")
    assert page.locator("ul.collegamenti").is_hidden()
    assert page.locator("ul.orari").first.is_visible() and page.locator("svg[role=img]").is_visible()


def test_the_overview_links_the_page_the_qr_code_opens(app_server, page, open_app):
    open_app(page, f"{app_server}/?zona=Sud")
    link = page.get_by_role("link", name="Pagina semplice per il telefono")
    href = link.get_attribute("href")
    assert href is not None and href.endswith("/quartieri#zona-sud")
    page.goto(href, wait_until="load")
    assert page.locator("h2#zona-sud").inner_text() == "Zona Sud"
