"""The citizens' report form /segnala in real Chromium against the real server (app.py), with
JavaScript switched off and a phone's screen: fill it, send it, read the thank-you page; a sixth
report within a minute from one address is refused. And the map's popup links to it (/mappa).

Each test comes as its own client through X-Forwarded-For from 127.0.0.1, as nginx forwards
clients (deploy/nginx): the rate limit counts per client, so the tests do not share a count.
"""

from __future__ import annotations

import itertools

import pytest

from bench.common import registra_esterni

pytestmark = pytest.mark.browser

PUNTO, NOME = "don-bosco", "Punto Girasole (esempio)"  # esempio/punti.csv
_CLIENTI = itertools.count(10)


@pytest.fixture
def telefono(browser, external_requests: list[str]):
    """A page of a 390×844 phone with JavaScript off, seen by the app as its own client."""
    ctx = browser.new_context(
        java_script_enabled=False,
        viewport={"width": 390, "height": 844},
        locale="it-IT",
        extra_http_headers={"X-Forwarded-For": f"203.0.113.{next(_CLIENTI)}"},
    )
    registra_esterni(ctx, external_requests)
    pagina = ctx.new_page()
    yield pagina
    ctx.close()
    assert not external_requests, external_requests


def _compila_e_invia(pagina, testo: str):
    pagina.get_by_label("lo sportello è chiuso / orari sbagliati").check()
    pagina.get_by_label("Descrivi il problema").fill(testo)
    with pagina.expect_navigation():
        pagina.get_by_role("button", name="Invia la segnalazione").click()


def _larghezza(pagina) -> tuple[int, int]:
    # Read through CDP, which works with the page's own scripts off.
    return pagina.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")


def test_a_citizen_sends_a_report_with_javascript_off(app_server, telefono, screenshot):
    risposta = telefono.goto(f"{app_server}/segnala?punto={PUNTO}")
    assert risposta is not None and risposta.status == 200
    assert telefono.get_by_role("heading", name="Segnala un errore").is_visible()
    assert NOME in telefono.locator(".oggetto").inner_text()
    larghezza, schermo = _larghezza(telefono)
    assert larghezza <= schermo, "nothing scrolls sideways on a phone"
    screenshot(telefono, "segnala-modulo-telefono")

    # An e-mail without the consent: the same form again, with what was typed and the reason.
    telefono.get_by_label("La tua e-mail").fill("mario.rossi@esempio.it")
    _compila_e_invia(telefono, "Lo sportello del martedì è chiuso da ottobre.")
    assert "spuntare la casella del consenso" in telefono.locator(".riepilogo").inner_text()
    assert (
        telefono.get_by_label("Descrivi il problema").input_value() == "Lo sportello del martedì è chiuso da ottobre."
    )

    telefono.get_by_label("Acconsento").check()
    with telefono.expect_navigation():
        telefono.get_by_role("button", name="Invia la segnalazione").click()
    assert telefono.get_by_role("heading", name="Grazie!").is_visible()
    assert f"Abbiamo ricevuto la tua segnalazione su «{NOME}»" in telefono.locator("main").inner_text()
    screenshot(telefono, "segnala-grazie-telefono")


def test_a_sixth_report_in_a_minute_is_refused(app_server, telefono, screenshot):
    for n in range(5):
        telefono.goto(f"{app_server}/segnala?punto={PUNTO}")
        _compila_e_invia(telefono, f"segnalazione {n + 1}")
        assert telefono.get_by_role("heading", name="Grazie!").is_visible(), n
    telefono.goto(f"{app_server}/segnala?punto={PUNTO}&lang=en")
    telefono.get_by_label("the desk is closed / wrong opening hours").check()
    with telefono.expect_navigation() as nav:
        telefono.get_by_role("button", name="Send the report").click()
    assert nav.value is not None and nav.value.status == 429
    assert telefono.get_by_role("heading", name="Report not sent").is_visible()
    testo = telefono.locator("main").inner_text()
    assert "Too many reports from this address: at most 5 a minute" in testo and "Nothing was saved." in testo
    screenshot(telefono, "segnala-sesta-rifiutata")


def test_the_public_map_s_popup_links_to_the_form(app_server, page, page_errors):
    page.goto(f"{app_server}/mappa?quartiere=17029006", wait_until="load")  # Don Bosco's quartiere
    page.locator(".cdn-marker").first.click()
    link = page.get_by_role("link", name="Segnala un errore su questo punto")
    assert link.get_attribute("href") == f"/segnala?punto={PUNTO}"
    with page.context.expect_page() as nuova:
        link.click()  # target=_blank: the map (maybe inside another site's frame) stays
    modulo = nuova.value
    modulo.wait_for_load_state()
    assert NOME in modulo.locator(".oggetto").inner_text()
    assert page.get_by_role("link", name="segnala un errore", exact=True).get_attribute("href") == "/segnala"
    assert not page_errors


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_report_pages_pass_axe(app_server, browser, external_requests, lang):
    from tests.browser.test_accessibilita import AXE, axe_violations

    assert AXE.exists(), "axe-core missing: run `bash scripts/setup.sh`"
    # The pages' CSP allows no script: axe is injected past it (bypass_csp), the pages keep theirs.
    ctx = browser.new_context(
        bypass_csp=True,
        viewport={"width": 390, "height": 844},
        extra_http_headers={"X-Forwarded-For": f"203.0.113.{next(_CLIENTI)}"},
    )
    registra_esterni(ctx, external_requests)
    pagina = ctx.new_page()
    problemi = {}
    try:
        for nome, url, invia in [
            ("scelta", f"/segnala?lang={lang}", False),
            ("modulo", f"/segnala?punto={PUNTO}&lang={lang}", False),
            ("errori", f"/segnala?punto={PUNTO}&lang={lang}", True),
            ("sconosciuto", f"/segnala?quartiere=0&lang={lang}", False),
        ]:
            pagina.goto(app_server + url)
            if invia:  # nothing chosen, an invalid e-mail: the form with its problems
                pagina.locator("#campo-email").fill("no")
                with pagina.expect_navigation():
                    pagina.locator("button[type=submit]").click()
                assert pagina.locator(".riepilogo").is_visible()
            if found := axe_violations(pagina):
                problemi[nome] = found
    finally:
        ctx.close()
    assert problemi == {}
    assert not external_requests


def test_the_dashboard_map_popup_links_to_the_form(app_server, page, open_app):
    open_app(page, f"{app_server}/?punto={PUNTO}&lang=en")  # a link that opens the point's popup
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    link = frame.get_by_role("link", name="Report an error about this point")
    link.wait_for(timeout=30_000)
    assert link.get_attribute("href") == f"/segnala?punto={PUNTO}&lang=en"
    assert link.get_attribute("target") == "_blank"
